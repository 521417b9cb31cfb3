/** The native WhatsApp Web multi-device protocol: the layers from transport to messages (see docs/web-protocol.md). */
@NullMarked
package dev.wagateway.web;

import org.jspecify.annotations.NullMarked;
