/** The Engine SPI: how a WhatsApp protocol implementation plugs into the gateway's session lifecycle. */
@NullMarked
package dev.wagateway.engine;

import org.jspecify.annotations.NullMarked;
