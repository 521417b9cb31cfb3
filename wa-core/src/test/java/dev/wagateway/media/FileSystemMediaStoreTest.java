package dev.wagateway.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSystemMediaStoreTest extends MediaStoreContract {
  @TempDir
  Path dir;

  @Override
  protected MediaStore createStore() throws Exception {
    return new FileSystemMediaStore(dir.resolve("media"), Clock.fixed(T0, ZoneOffset.UTC));
  }

  @Test
  void aStreamThatFailsHalfwayLeavesNoFileBehind() throws Exception {
    InputStream failing = new InputStream() {
      int n;

      @Override
      public int read() throws IOException {
        if (n++ > 70_000) {
          throw new IOException("connection reset");
        }
        return 7;
      }
    };
    assertThatThrownBy(() -> store.put(failing, put("image/png"), 1_000_000)).isInstanceOf(IOException.class);
    try (Stream<Path> files = Files.walk(dir.resolve("media"))) {
      assertThat(files.filter(Files::isRegularFile)).as("no part file, no object").isEmpty();
    }
    store.put(new ByteArrayInputStream(new byte[] {1}), put("image/png"), 10);
    try (Stream<Path> files = Files.walk(dir.resolve("media").resolve("tmp"))) {
      assertThat(files.filter(Files::isRegularFile)).isEmpty();
    }
  }
}
