-- When a message may no longer be sent (its request's expiresAt, epoch nanoseconds; NULL: never), so
-- a claim can tell without decoding the request whether it may mark the first message SENDING. The
-- messages still waiting or claimed get it from their request (to the millisecond: julianday's precision).
ALTER TABLE wa_message ADD COLUMN expires_at INTEGER;
UPDATE wa_message SET expires_at = CAST(round((julianday(json_extract(request, '$.expiresAt')) - 2440587.5)
    * 86400000) AS INTEGER) * 1000000
  WHERE state IN ('W', 'A') AND json_extract(request, '$.expiresAt') IS NOT NULL;
