/** Linking a companion device: client payloads, QR texts and the pair-success checks. */
@NullMarked
package dev.wagateway.web.pairing;

import org.jspecify.annotations.NullMarked;
