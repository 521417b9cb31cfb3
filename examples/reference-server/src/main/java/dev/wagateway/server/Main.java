package dev.wagateway.server;

/**
 * The jar's entry point. It holds no logger, so that WA_LOG_FORMAT can choose the logging
 * configuration before logback starts (a class with a static logger would start it first).
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    if ("json".equalsIgnoreCase(System.getenv("WA_LOG_FORMAT"))) {
      System.setProperty("logback.configurationFile", "logback-json.xml");
    }
    ReferenceServer.run();
  }
}
