/** The Noise XX handshake as WhatsApp runs it, the frame codec and the transport cipher. */
@NullMarked
package dev.wagateway.web.noise;

import org.jspecify.annotations.NullMarked;
