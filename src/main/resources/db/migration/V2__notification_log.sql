-- The notification log (dedup), in the store so that it survives a restart and is shared by every
-- replica on one database: what was last notified per (receiver, group). Plain SQL for H2 and PostgreSQL.
-- key_hash: SHA-256 (hex) of receiver NUL group key (group keys run to 2048 characters; the hash is
-- a short primary key, one indexed read per decision).
-- firing, resolved: the fingerprints last notified, as sorted hex 64-bit ids, comma-separated.
-- resolved_starts: alerts seen resolved, as id:startsAt (hex id, epoch ms), so that a late firing
-- copy of the same occurrence is recognised as stale.
-- sent_at: when the last notification was decided (epoch ms): repeats, retention and pruning.
CREATE TABLE IF NOT EXISTS relay_notification_log (
    key_hash        VARCHAR(64)   PRIMARY KEY,
    firing          TEXT          NOT NULL,
    resolved        TEXT          NOT NULL,
    resolved_starts TEXT          NOT NULL,
    sent_at         BIGINT        NOT NULL
);
CREATE INDEX IF NOT EXISTS relay_notification_log_sent ON relay_notification_log (sent_at);
