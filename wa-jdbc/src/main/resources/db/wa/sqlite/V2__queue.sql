-- The outbound queue. One row a message, from accepted to sent, dead-lettered or cancelled.
-- state: W waiting (due at available_at), A active (claimed, leased until lease_until),
--        F finished (sent or cancelled; pruned after the retention), D dead-lettered.
-- Only the oldest unfinished (W or A) message of a session and recipient can be claimed, which
-- the claim query checks with NOT EXISTS on wa_message_fifo: no flag to keep in step.
CREATE TABLE wa_message (
  id            TEXT    PRIMARY KEY,
  seq           INTEGER NOT NULL,
  session_id    TEXT    NOT NULL,
  recipient     TEXT    NOT NULL,
  priority      INTEGER NOT NULL,
  request       TEXT    NOT NULL,
  created_at    INTEGER NOT NULL,
  state         TEXT    NOT NULL CHECK (state IN ('W', 'A', 'F', 'D')),
  status        TEXT    NOT NULL,
  attempts      INTEGER NOT NULL DEFAULT 0,
  available_at  INTEGER NOT NULL,
  lease_until   INTEGER,
  provider_id   TEXT,
  last_failure  TEXT,
  failure_type  TEXT,
  dead_at       INTEGER,
  finished_at   INTEGER,
  history       TEXT    NOT NULL
);

CREATE UNIQUE INDEX wa_message_order ON wa_message (seq);
CREATE INDEX wa_message_claim ON wa_message (session_id, priority, seq) WHERE state = 'W';
CREATE INDEX wa_message_fifo ON wa_message (session_id, recipient, seq) WHERE state IN ('W', 'A');
CREATE INDEX wa_message_lease ON wa_message (lease_until) WHERE state = 'A';
CREATE INDEX wa_message_provider ON wa_message (provider_id) WHERE provider_id IS NOT NULL;
CREATE INDEX wa_message_dead ON wa_message (dead_at, seq) WHERE state = 'D';
CREATE INDEX wa_message_finished ON wa_message (finished_at) WHERE state = 'F';

-- Idempotency keys per session: the primary key makes concurrent sends with one key store one message.
CREATE TABLE wa_idempotency (
  session_id  TEXT    NOT NULL,
  idem_key    TEXT    NOT NULL,
  message_id  TEXT    NOT NULL,
  expires_at  INTEGER NOT NULL,
  PRIMARY KEY (session_id, idem_key)
);
CREATE INDEX wa_idempotency_expiry ON wa_idempotency (expires_at);
