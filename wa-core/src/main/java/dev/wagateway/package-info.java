/**
 * wa-gateway: start with {@link dev.wagateway.WaGateway#builder()}. The public API is this package
 * and its feature packages; {@code dev.wagateway.internal} is not API.
 */
@NullMarked
package dev.wagateway;

import org.jspecify.annotations.NullMarked;
