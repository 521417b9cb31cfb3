-- Sessions and their (encrypted, when EncryptingSessionStore wraps the store) credentials.
-- Instants are epoch nanoseconds: exact round trips, one type on both dialects.
CREATE TABLE wa_session (
  id            VARCHAR(64)  PRIMARY KEY,
  pairing       VARCHAR(8)   NOT NULL CHECK (pairing IN ('qr', 'code')),
  pairing_phone VARCHAR(20),
  auto_start    BOOLEAN      NOT NULL,
  self_jid      VARCHAR(128),
  credentials   BYTEA,
  created_at    BIGINT       NOT NULL,
  updated_at    BIGINT       NOT NULL,
  paired_at     BIGINT
);
