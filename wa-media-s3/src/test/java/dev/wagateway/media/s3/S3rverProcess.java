package dev.wagateway.media.s3;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Assumptions;

/**
 * A real S3-compatible server for the tests: s3rver (Node.js), installed by .ci/install-s3rver, run
 * on a free port over a temporary directory with the bucket {@code wa-media}. Absent, the tests skip
 * with a message saying how to install it, except under CI=true, where absence is a failure.
 */
final class S3rverProcess implements AutoCloseable {
  static final String BUCKET = "wa-media";
  static final String KEY = "S3RVER"; // s3rver's own development credentials
  final Process process;
  final int port;
  final Path dir;

  private S3rverProcess(Process process, int port, Path dir) {
    this.process = process;
    this.port = port;
    this.dir = dir;
  }

  static S3rverProcess start() throws Exception {
    Path bin = Path.of("").toAbsolutePath().getParent().resolve(".ci/s3rver/node_modules/.bin/s3rver");
    if (!Files.isExecutable(bin)) {
      String why = "s3rver is not installed (" + bin + "): run .ci/install-s3rver";
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError(why + "; under CI=true the S3 store tests must run");
      }
      Assumptions.abort(why + "; the S3 store tests are skipped");
    }
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path dir = Files.createTempDirectory("s3rver");
    Process p = new ProcessBuilder(bin.toString(), "--silent", "-a", "127.0.0.1", "-p", String.valueOf(port), "-d",
        dir.toString(), "--configure-bucket", BUCKET).redirectErrorStream(true)
        .redirectOutput(dir.resolveSibling(dir.getFileName() + ".log").toFile()).start();
    S3rverProcess s = new S3rverProcess(p, port, dir);
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (Instant.now().isBefore(deadline)) {
      if (!p.isAlive()) {
        throw new IllegalStateException("s3rver exited with " + p.exitValue());
      }
      try {
        HttpURLConnection c = (HttpURLConnection) URI.create(s.endpoint() + "/" + BUCKET).toURL().openConnection();
        c.setConnectTimeout(500);
        if (c.getResponseCode() == 200) {
          return s;
        }
      } catch (IOException e) {
        // not up yet
      }
      Thread.sleep(100);
    }
    s.close();
    throw new IllegalStateException("s3rver did not answer within 30 s");
  }

  String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  S3MediaStore.Builder store() {
    return S3MediaStore.builder().endpoint(endpoint()).region("us-east-1").credentials(KEY, KEY).bucket(BUCKET);
  }

  @Override
  public void close() {
    process.destroy();
    try {
      process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process.destroyForcibly();
  }
}
