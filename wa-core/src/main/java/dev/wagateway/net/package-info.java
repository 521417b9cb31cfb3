/** Network safety shared by the modules that call out: the SSRF guard. */
@NullMarked
package dev.wagateway.net;

import org.jspecify.annotations.NullMarked;
