-- The webhook outbox: one row per event and subscription, appended in the transaction of the
-- change that caused the event. Of deliveries sharing an ordering key only the oldest unfinished
-- one (lowest seq, PENDING or IN_FLIGHT) is claimable; a replay takes a new seq (goes to the back).
CREATE SEQUENCE wa_webhook_seq;

CREATE TABLE wa_webhook_delivery (
  id               VARCHAR(64)  PRIMARY KEY,
  seq              BIGINT       NOT NULL,
  subscription_id  VARCHAR(64)  NOT NULL,
  event_id         VARCHAR(64)  NOT NULL,
  event_type       VARCHAR(64)  NOT NULL,
  session_id       VARCHAR(64)  NOT NULL,
  payload          BYTEA        NOT NULL,
  ordering_key     VARCHAR(200),
  status           VARCHAR(16)  NOT NULL CHECK (status IN ('PENDING', 'IN_FLIGHT', 'DELIVERED', 'DEAD')),
  attempts         INTEGER      NOT NULL DEFAULT 0,
  created_at       BIGINT       NOT NULL,
  next_attempt_at  BIGINT       NOT NULL,
  lease_until      BIGINT,
  log              TEXT         NOT NULL DEFAULT ''
);

CREATE INDEX wa_webhook_due ON wa_webhook_delivery (next_attempt_at, seq) WHERE status = 'PENDING';
CREATE INDEX wa_webhook_ordered ON wa_webhook_delivery (ordering_key, seq)
  WHERE status IN ('PENDING', 'IN_FLIGHT') AND ordering_key IS NOT NULL;
CREATE INDEX wa_webhook_lease ON wa_webhook_delivery (lease_until) WHERE status = 'IN_FLIGHT';
CREATE INDEX wa_webhook_by_subscription ON wa_webhook_delivery (subscription_id, status);
CREATE INDEX wa_webhook_created ON wa_webhook_delivery (created_at, seq);

-- Subscriptions. The secret is sealed with AES-GCM under the key the application supplies
-- (never stored in the clear); without a key JdbcStores refuses to store subscriptions.
CREATE TABLE wa_webhook_subscription (
  id          VARCHAR(64) PRIMARY KEY,
  definition  TEXT        NOT NULL,
  secret      BYTEA       NOT NULL,
  created_at  BIGINT      NOT NULL
);
