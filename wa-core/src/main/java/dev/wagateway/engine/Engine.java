package dev.wagateway.engine;

/**
 * A WhatsApp protocol implementation. The gateway's core owns lifecycle, retries and state; an
 * engine only opens connections and reports what happens on them through an {@link EngineListener}.
 */
public interface Engine extends AutoCloseable {

  /** A short name for logs and metrics, e.g. {@code simulated}, {@code cloudapi}, {@code web}. */
  String name();

  /**
   * Creates a connection for a session; nothing happens on the wire until
   * {@link EngineConnection#connect()}.
   */
  EngineConnection open(EngineSession session, EngineListener listener);

  /** Releases what the engine holds; connections opened by it are closed by the gateway first. */
  @Override
  default void close() {}
}
