-- Ids of inbound notifications already processed (SeenIds): a provider's redelivery, days later
-- and after restarts, is recognised and dropped. expires_at is epoch nanoseconds.
CREATE TABLE wa_inbound_seen (
  seen_key    VARCHAR(300) PRIMARY KEY,
  expires_at  BIGINT NOT NULL
);
CREATE INDEX wa_inbound_seen_expiry ON wa_inbound_seen (expires_at);
