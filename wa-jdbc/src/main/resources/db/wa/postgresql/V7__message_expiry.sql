-- When a message may no longer be sent (its request's expiresAt, epoch nanoseconds; NULL: never), so
-- a claim can tell without decoding the request whether it may mark the first message SENDING. The
-- messages still waiting or claimed get it from their request.
ALTER TABLE wa_message ADD COLUMN expires_at BIGINT;
UPDATE wa_message SET expires_at = (extract(epoch FROM (request::jsonb ->> 'expiresAt')::timestamptz)
    * 1000000000)::bigint
  WHERE state IN ('W', 'A') AND request::jsonb ->> 'expiresAt' IS NOT NULL;
