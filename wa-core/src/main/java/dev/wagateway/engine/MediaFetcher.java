package dev.wagateway.engine;

import dev.wagateway.message.MediaSource;
import java.util.concurrent.CompletionStage;

/**
 * An engine whose inbound media stay with the provider ({@link MediaSource.Uploaded}) and can be
 * fetched: the gateway fetches them as they arrive (provider links expire) into its media store.
 */
public interface MediaFetcher {

  /** The bytes of {@code media} for {@code sessionId}, at most {@code maxBytes}. */
  CompletionStage<byte[]> fetchMedia(String sessionId, MediaSource.Uploaded media, long maxBytes);
}
