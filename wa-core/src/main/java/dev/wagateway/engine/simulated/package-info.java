/** An in-process WhatsApp network for tests, demos and benchmarks, with fault injection. */
@NullMarked
package dev.wagateway.engine.simulated;

import org.jspecify.annotations.NullMarked;
