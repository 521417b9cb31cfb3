/** Cryptographic primitives: X25519 (JDK), XEdDSA, HKDF, AES and HMAC, with an injectable key source. */
@NullMarked
package dev.wagateway.web.crypto;

import org.jspecify.annotations.NullMarked;
