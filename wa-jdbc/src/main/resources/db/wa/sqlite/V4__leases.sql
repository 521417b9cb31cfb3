-- Which gateway instance runs each session (several instances on one database). The token grows
-- with every change of owner; fenced writes carry the token they were granted and are refused
-- once it is no longer the current one. A released lease keeps its token (expires_at = 0).
CREATE TABLE wa_session_lease (
  session_id  TEXT PRIMARY KEY,
  owner       TEXT NOT NULL,
  token       INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL
);
