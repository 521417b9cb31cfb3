package dev.wagateway.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The storage gauges of one store: bytes its files take, size and free space of their volume.
 * Walking a directory of media can be slow, so the used bytes are computed at most once a minute;
 * the volume figures are one system call each. A path that cannot be read reports NaN, which
 * Prometheus shows as a gap, not as an empty disk.
 */
final class StorageGauges {
  static final Duration WALK_INTERVAL = Duration.ofMinutes(1);
  private final String store;
  private final Path path;
  private final Clock clock;
  private volatile @Nullable Instant walkedAt;
  private volatile double used = Double.NaN;

  StorageGauges(String store, Path path, Clock clock) {
    this.store = store;
    this.path = path;
    this.clock = clock;
  }

  void bindTo(MeterRegistry r) {
    Gauge.builder(WaMetricNames.STORAGE_USED, this, StorageGauges::used).description("Bytes the store's files take")
        .baseUnit("bytes").tag("store", store).register(r);
    Gauge.builder(WaMetricNames.STORAGE_VOLUME_SIZE, this, g -> g.volume(true))
        .description("Size of the volume that holds the store").baseUnit("bytes").tag("store", store).register(r);
    Gauge.builder(WaMetricNames.STORAGE_VOLUME_FREE, this, g -> g.volume(false))
        .description("Bytes still usable on the volume that holds the store").baseUnit("bytes")
        .tag("store", store).register(r);
  }

  double used() {
    Instant now = clock.instant();
    Instant at = walkedAt;
    if (at == null || !now.isBefore(at.plus(WALK_INTERVAL))) {
      walkedAt = now;
      used = bytesBelow(path);
    }
    return used;
  }

  double volume(boolean size) {
    try {
      FileStore fs = Files.getFileStore(Files.exists(path) ? path : path.toAbsolutePath().getParent());
      return size ? fs.getTotalSpace() : fs.getUsableSpace();
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  static double bytesBelow(Path p) {
    try {
      BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
      if (!a.isDirectory()) {
        return a.size();
      }
      try (Stream<Path> files = Files.walk(p)) {
        return files.mapToLong(StorageGauges::sizeOf).sum();
      }
    } catch (IOException | UncheckedIOException e) {
      return Double.NaN;
    }
  }

  private static long sizeOf(Path f) {
    try {
      BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
      return a.isRegularFile() ? a.size() : 0;
    } catch (IOException e) {
      return 0; // deleted while walking
    }
  }
}
