/** The gateway's event stream: one sealed event hierarchy, one publisher, isolated listeners. */
@NullMarked
package dev.wagateway.event;

import org.jspecify.annotations.NullMarked;
