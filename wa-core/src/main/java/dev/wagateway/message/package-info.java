/** Outbound and inbound message model: content types, requests, status and its history. */
@NullMarked
package dev.wagateway.message;

import org.jspecify.annotations.NullMarked;
