package dev.wagateway.message;

/** Dispatch order within a session: higher priorities are sent first, FIFO within a priority. */
public enum Priority {
  HIGH,
  NORMAL,
  LOW
}
