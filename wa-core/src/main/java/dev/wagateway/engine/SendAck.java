package dev.wagateway.engine;

import java.time.Instant;

/** WhatsApp accepted a message: its id on WhatsApp and when. Receipts refer to that id. */
public record SendAck(String providerMessageId, Instant at) {}
