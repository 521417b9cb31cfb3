/** Time for the gateway: an injectable scheduler with a real and a virtual implementation. */
@NullMarked
package dev.wagateway.time;

import org.jspecify.annotations.NullMarked;
