/** Signal 1:1 sessions: X3DH, the double ratchet, wire messages and the stores that keep their state. */
@NullMarked
package dev.wagateway.web.signal;

import org.jspecify.annotations.NullMarked;
