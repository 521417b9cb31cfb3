package dev.wagateway.media;

import dev.wagateway.message.MediaSource;
import org.jspecify.annotations.Nullable;

/**
 * Links to stored media for webhook receivers, who hold no API key: a host (the reference server)
 * signs a URL that expires. Webhook payloads then carry {@code media.url} beside the gateway
 * media id. Null: no link for this one.
 */
@FunctionalInterface
public interface MediaLinks {
  @Nullable String linkFor(MediaSource.Stored media, String sessionId);
}
