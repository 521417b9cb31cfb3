package dev.wagateway.benchmarks;

import dev.wagateway.WaGateway;
import dev.wagateway.engine.simulated.SimulatedConfig;
import dev.wagateway.engine.simulated.SimulatedNetwork;
import dev.wagateway.session.SessionState;
import dev.wagateway.time.TaskScheduler;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Locale;

/**
 * Sessions at scale: {@code n} simulated sessions in one JVM, paired and connected, with the
 * gateway's heartbeat, watchdog, keep-alives and alert evaluation running. Prints the heap each
 * session takes (used heap after a full GC, before and after), the time to create and connect them
 * all, and the CPU the idle gateway uses over {@code idleSeconds}.
 *
 * <p>Usage: {@code java -cp ... SessionScaleBenchmark [sessions] [idleSeconds]}
 */
public final class SessionScaleBenchmark {

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int idleSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
    System.out.printf(Locale.ROOT, "machine: %d cores, JVM %s, max heap %d MB; %d sessions%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
        Runtime.getRuntime().maxMemory() >> 20, n);
    TaskScheduler scheduler = TaskScheduler.system("scale", 2);
    SimulatedNetwork network = new SimulatedNetwork(scheduler, SimulatedConfig.defaults());
    try (WaGateway gw = WaGateway.builder().scheduler(scheduler).engine(network.engine()).maxSessions(n).build()) {
      gw.start();
      long before = usedAfterGc();
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        gw.sessions().create("s" + i);
      }
      for (int i = 0; i < n; i++) {
        String id = "s" + i;
        String qr;
        while ((qr = network.currentQr(id)) == null) {
          Thread.sleep(1);
        }
        network.scan(qr, "+4917" + String.format("%09d", i));
      }
      while (gw.sessions().list().stream().filter(s -> s.state() == SessionState.CONNECTED).count() < n) {
        Thread.sleep(50);
        if (System.nanoTime() - t0 > 600e9) {
          throw new IllegalStateException("not all sessions connected in 10 min");
        }
      }
      double startSeconds = (System.nanoTime() - t0) / 1e9;
      long after = usedAfterGc();
      com.sun.management.OperatingSystemMXBean os =
          (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      long cpu0 = os.getProcessCpuTime();
      long w0 = System.nanoTime();
      Thread.sleep(Duration.ofSeconds(idleSeconds).toMillis());
      double cpu = (os.getProcessCpuTime() - cpu0) / (double) (System.nanoTime() - w0);
      long connected = gw.sessions().list().stream().filter(s -> s.state() == SessionState.CONNECTED).count();
      System.out.printf(Locale.ROOT, "RESULT sessions at scale: %d sessions connected in %.1f s; heap %,d KB before,"
          + " %,d KB after: %.1f KB per session; idle CPU over %d s: %.1f%% of one core; still connected: %d%n",
          n, startSeconds, before >> 10, after >> 10, (after - before) / 1024.0 / n, idleSeconds, cpu * 100, connected);
    } finally {
      scheduler.close();
    }
    System.exit(0);
  }

  static long usedAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
    Runtime r = Runtime.getRuntime();
    return r.totalMemory() - r.freeMemory();
  }
}
