package dev.wagateway.media;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Media in a directory: {@code objects/<2 hex>/<sha256>} with a {@code .json} beside it for the
 * metadata. Writes go to {@code tmp/} first and are moved into place atomically, so a crash leaves
 * either the whole object or none; ids are checked to be 64 hex characters before any path is
 * built from them, so no key reaches outside the directory.
 */
public final class FileSystemMediaStore implements MediaStore {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path root;
  private final Path objects;
  private final Path tmp;
  private final Clock clock;
  /** Writers of one id in this process take its stripe; content addressing makes the rest idempotent. */
  private final Object[] stripes = new Object[64];

  public FileSystemMediaStore(Path root) throws IOException {
    this(root, Clock.systemUTC());
  }

  public FileSystemMediaStore(Path root, Clock clock) throws IOException {
    this.root = root.toAbsolutePath().normalize();
    this.objects = this.root.resolve("objects");
    this.tmp = this.root.resolve("tmp");
    this.clock = Objects.requireNonNull(clock, "clock");
    for (int i = 0; i < stripes.length; i++) {
      stripes[i] = new Object();
    }
    Files.createDirectories(objects);
    Files.createDirectories(tmp);
  }

  public Path root() {
    return root;
  }

  @Override
  public StoredMedia put(InputStream in, Put put, long maxBytes) throws IOException {
    Path temp = tmp.resolve(UUID.randomUUID() + ".part");
    MediaStreams.Spooled spooled = MediaStreams.spool(in, temp, maxBytes);
    String id = spooled.sha256();
    long size = spooled.size();
    synchronized (stripe(id)) {
      try {
        Path data = dataPath(id);
        Optional<StoredMedia> existing = metadata(id);
        if (existing.isPresent() && Files.exists(data)) {
          Files.deleteIfExists(temp);
          StoredMedia m = existing.get().keptUntilLaterOf(put.expiresAt());
          if (m != existing.get()) {
            writeMetadata(m);
          }
          return m;
        }
        Files.createDirectories(data.getParent());
        move(temp, data);
        StoredMedia m = new StoredMedia(id, MediaTypes.checkMime(put.mimeType()), size, clock.instant(),
            put.sourceMessageId(), put.sessionId(), put.expiresAt());
        writeMetadata(m);
        return m;
      } finally {
        Files.deleteIfExists(temp);
      }
    }
  }

  @Override
  public Optional<StoredMedia> metadata(String id) {
    Path meta = metaPath(MediaStore.checkId(id));
    try {
      JsonNode n = JSON.readTree(Files.readAllBytes(meta));
      return Optional.of(new StoredMedia(id, n.get("mimeType").asText(), n.get("size").asLong(),
          Instant.parse(n.get("createdAt").asText()), text(n, "sourceMessageId"), text(n, "sessionId"),
          n.hasNonNull("expiresAt") ? Instant.parse(n.get("expiresAt").asText()) : null));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      throw new java.io.UncheckedIOException("the metadata of media " + id + " cannot be read",
          e instanceof IOException io ? io : new IOException(e));
    }
  }

  @Override
  public Optional<InputStream> open(String id, long offset, long length) throws IOException {
    Path data = dataPath(MediaStore.checkId(id));
    if (offset < 0) {
      throw new IllegalArgumentException("offset must not be negative");
    }
    FileChannel ch;
    try {
      ch = FileChannel.open(data, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    ch.position(offset);
    InputStream whole = Channels.newInputStream(ch);
    return Optional.of(length < 0 ? whole : MediaStreams.bounded(whole, length));
  }

  @Override
  public boolean delete(String id) throws IOException {
    synchronized (stripe(MediaStore.checkId(id))) {
      boolean had = Files.deleteIfExists(dataPath(id));
      return Files.deleteIfExists(metaPath(id)) || had;
    }
  }

  @Override
  public int deleteExpired(Instant now) throws IOException {
    int n = 0;
    try (DirectoryStream<Path> shards = Files.newDirectoryStream(objects)) {
      for (Path shard : shards) {
        try (DirectoryStream<Path> metas = Files.newDirectoryStream(shard, "*.json")) {
          for (Path meta : metas) {
            String id = meta.getFileName().toString().replace(".json", "");
            if (!MediaStore.isId(id)) {
              continue;
            }
            if (deleteIfExpired(id, now)) {
              n++;
            }
          }
        }
      }
    }
    return n;
  }

  @Override
  public void ping() throws IOException {
    Path probe = tmp.resolve("ping-" + UUID.randomUUID());
    Files.write(probe, new byte[] {1});
    Files.delete(probe);
  }

  private void writeMetadata(StoredMedia m) throws IOException {
    ObjectNode n = JSON.createObjectNode().put("mimeType", m.mimeType()).put("size", m.size())
        .put("createdAt", m.createdAt().toString()).put("sourceMessageId", m.sourceMessageId())
        .put("sessionId", m.sessionId()).put("expiresAt", m.expiresAt() == null ? null : m.expiresAt().toString());
    Path temp = tmp.resolve(UUID.randomUUID() + ".json.part");
    Files.write(temp, JSON.writeValueAsBytes(n), StandardOpenOption.CREATE_NEW);
    move(temp, metaPath(m.id()));
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private Object stripe(String id) {
    return stripes[Integer.parseInt(id.substring(0, 2), 16) % stripes.length];
  }

  private Path dataPath(String id) {
    return objects.resolve(id.substring(0, 2)).resolve(id);
  }

  private Path metaPath(String id) {
    return objects.resolve(id.substring(0, 2)).resolve(id + ".json");
  }

  private static @Nullable String text(JsonNode n, String f) {
    return n.hasNonNull(f) ? n.get(f).asText() : null;
  }
}
