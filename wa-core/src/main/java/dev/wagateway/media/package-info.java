/**
 * Where media bytes live: the {@link dev.wagateway.media.MediaStore} SPI (content-addressed,
 * size-limited, with retention), the filesystem store, and mime sniffing from content.
 */
@NullMarked
package dev.wagateway.media;

import org.jspecify.annotations.NullMarked;
