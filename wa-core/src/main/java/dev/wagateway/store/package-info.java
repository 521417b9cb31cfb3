/** Storage SPIs for sessions, with in-memory and encrypting implementations. */
@NullMarked
package dev.wagateway.store;

import org.jspecify.annotations.NullMarked;
