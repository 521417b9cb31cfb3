package dev.wagateway.media;

import dev.wagateway.ValidationException;

/** Media over its size limit: refused before anything is stored or uploaded. */
public final class MediaTooLargeException extends ValidationException {
  private static final long serialVersionUID = 1L;

  public MediaTooLargeException(String field, long maxBytes) {
    super(field, "the media is larger than " + maxBytes + " bytes");
  }
}
