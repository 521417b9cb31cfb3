-- Sessions and their (encrypted, when EncryptingSessionStore wraps the store) credentials.
-- Instants are epoch nanoseconds: exact round trips, one type on both dialects.
CREATE TABLE wa_session (
  id            TEXT    PRIMARY KEY,
  pairing       TEXT    NOT NULL CHECK (pairing IN ('qr', 'code')),
  pairing_phone TEXT,
  auto_start    INTEGER NOT NULL,
  self_jid      TEXT,
  credentials   BLOB,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  paired_at     INTEGER
);
