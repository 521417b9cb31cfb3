package dev.wagateway.metrics;

/**
 * The metric names: the contract with dashboards and alerts (docs/metrics.md). Micrometer names are
 * dotted; a Prometheus scrape shows them with underscores and unit suffixes, given in each comment.
 */
public final class WaMetricNames {
  private WaMetricNames() {}

  /** {@code whatsapp_connection_status} gauge, 1 connected / 0 not, per session. */
  public static final String CONNECTION_STATUS = "whatsapp.connection.status";
  /** {@code whatsapp_sessions} gauge per state. */
  public static final String SESSIONS = "whatsapp.sessions";
  /** {@code whatsapp_uptime_seconds} gauge. */
  public static final String UPTIME = "whatsapp.uptime";
  /** {@code whatsapp_reconnect_total} counter by session and reason. */
  public static final String RECONNECT = "whatsapp.reconnect";
  /** {@code whatsapp_messages_sent_total} by session and type. */
  public static final String MESSAGES_SENT = "whatsapp.messages.sent";
  /** {@code whatsapp_messages_received_total} by session and type. */
  public static final String MESSAGES_RECEIVED = "whatsapp.messages.received";
  /** {@code whatsapp_messages_failed_total} failed attempts by session, type and reason. */
  public static final String MESSAGES_FAILED = "whatsapp.messages.failed";
  /** {@code whatsapp_messages_delivered_total} by session. */
  public static final String MESSAGES_DELIVERED = "whatsapp.messages.delivered";
  /** {@code whatsapp_messages_read_total} by session. */
  public static final String MESSAGES_READ = "whatsapp.messages.read";
  /** {@code whatsapp_message_send_duration_seconds} timer: engine call to its ack. */
  public static final String MESSAGE_SEND_DURATION = "whatsapp.message.send.duration";
  /** {@code whatsapp_queue_waiting_messages} gauge per session (base unit "messages"). */
  public static final String QUEUE_WAITING = "whatsapp.queue.waiting";
  /** {@code whatsapp_queue_active_messages} gauge per session. */
  public static final String QUEUE_ACTIVE = "whatsapp.queue.active";
  /** {@code whatsapp_queue_dlq_messages} gauge per session. */
  public static final String QUEUE_DLQ = "whatsapp.queue.dlq";
  /** {@code whatsapp_queue_processing_duration_seconds} timer: accepted to SENT. */
  public static final String QUEUE_PROCESSING_DURATION = "whatsapp.queue.processing.duration";
  /** {@code whatsapp_rate_limit_hits_total} by session and limit. */
  public static final String RATE_LIMIT_HITS = "whatsapp.rate.limit.hits";
  /** {@code whatsapp_webhook_deliveries_total} attempts by event type and outcome. */
  public static final String WEBHOOK_DELIVERIES = "whatsapp.webhook.deliveries";
  /** {@code whatsapp_webhook_endpoints_disabled} gauge. */
  public static final String WEBHOOK_ENDPOINTS_DISABLED = "whatsapp.webhook.endpoints.disabled";
  /** {@code whatsapp_dispatch_lag_seconds} timer: from a message being due to its send starting. */
  public static final String DISPATCH_LAG = "whatsapp.dispatch.lag";
  /** {@code whatsapp_webhook_delivery_duration_seconds} timer by outcome: request to answer. */
  public static final String WEBHOOK_DELIVERY_DURATION = "whatsapp.webhook.delivery.duration";
  /** {@code whatsapp_storage_used_bytes} gauge by store: bytes its files take. */
  public static final String STORAGE_USED = "whatsapp.storage.used";
  /** {@code whatsapp_storage_volume_size_bytes} gauge by store: size of the volume holding it. */
  public static final String STORAGE_VOLUME_SIZE = "whatsapp.storage.volume.size";
  /** {@code whatsapp_storage_volume_free_bytes} gauge by store: bytes still usable on that volume. */
  public static final String STORAGE_VOLUME_FREE = "whatsapp.storage.volume.free";
  /** {@code whatsapp_media_processing_duration_seconds} timer by content type and direction: storing or reading back media. */
  public static final String MEDIA_PROCESSING_DURATION = "whatsapp.media.processing.duration";
  /** {@code whatsapp_media_bytes_total} counter by content type and direction (inbound stored, outbound sent). */
  public static final String MEDIA_BYTES = "whatsapp.media.bytes";
  /** {@code whatsapp_media_failures_total} counter by content type and direction. */
  public static final String MEDIA_FAILURES = "whatsapp.media.failures";
  /** {@code http_server_requests_seconds} timer by method, uri (template), status, outcome. */
  public static final String HTTP_SERVER_REQUESTS = "http.server.requests";

  /** Tag value used for sessions past the tag limit. */
  public static final String OTHER = "other";
}
