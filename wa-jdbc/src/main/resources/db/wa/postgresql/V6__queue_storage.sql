-- Room in each page for a message's later versions. Marking a message SENDING changes no indexed
-- column, so with free space in its page PostgreSQL writes the new version there (a HOT update)
-- and touches none of the seven indexes; on full pages every update inserts into each index.
ALTER TABLE wa_message SET (fillfactor = 70);
-- A queue table turns over its rows all the time: vacuum it after 1% of its rows are dead, not
-- the default 20%, so index scans do not walk dead entries between runs.
ALTER TABLE wa_message SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 1000,
  autovacuum_analyze_scale_factor = 0.02);
