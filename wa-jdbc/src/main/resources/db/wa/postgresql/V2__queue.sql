-- The outbound queue. One row a message, from accepted to sent, dead-lettered or cancelled.
-- state: W waiting (due at available_at), A active (claimed, leased until lease_until),
--        F finished (sent or cancelled; pruned after the retention), D dead-lettered.
-- Only the oldest unfinished (W or A) message of a session and recipient can be claimed, which
-- the claim query checks with NOT EXISTS on wa_message_fifo: no flag to keep in step.
CREATE SEQUENCE wa_message_seq;

CREATE TABLE wa_message (
  id            VARCHAR(64)  PRIMARY KEY,
  seq           BIGINT       NOT NULL,
  session_id    VARCHAR(64)  NOT NULL,
  recipient     VARCHAR(128) NOT NULL,
  priority      SMALLINT     NOT NULL,
  request       TEXT         NOT NULL,
  created_at    BIGINT       NOT NULL,
  state         CHAR(1)      NOT NULL CHECK (state IN ('W', 'A', 'F', 'D')),
  status        VARCHAR(16)  NOT NULL,
  attempts      INTEGER      NOT NULL DEFAULT 0,
  available_at  BIGINT       NOT NULL,
  lease_until   BIGINT,
  provider_id   VARCHAR(128),
  last_failure  TEXT,
  failure_type  VARCHAR(32),
  dead_at       BIGINT,
  finished_at   BIGINT,
  history       TEXT         NOT NULL
);

CREATE INDEX wa_message_claim ON wa_message (session_id, priority, seq) WHERE state = 'W';
CREATE INDEX wa_message_fifo ON wa_message (session_id, recipient, seq) WHERE state IN ('W', 'A');
CREATE INDEX wa_message_lease ON wa_message (lease_until) WHERE state = 'A';
CREATE INDEX wa_message_provider ON wa_message (provider_id) WHERE provider_id IS NOT NULL;
CREATE INDEX wa_message_dead ON wa_message (dead_at, seq) WHERE state = 'D';
CREATE INDEX wa_message_finished ON wa_message (finished_at) WHERE state = 'F';

-- Idempotency keys per session: the primary key makes concurrent sends with one key store one message.
CREATE TABLE wa_idempotency (
  session_id  VARCHAR(64)  NOT NULL,
  idem_key    VARCHAR(128) NOT NULL,
  message_id  VARCHAR(64)  NOT NULL,
  expires_at  BIGINT       NOT NULL,
  PRIMARY KEY (session_id, idem_key)
);
CREATE INDEX wa_idempotency_expiry ON wa_idempotency (expires_at);
