-- Attempts that never finished, counted in their own committed transaction before each attempt, so
-- that a stored group whose dispatch, flush or delivery fails every time, or stops the process (an
-- out-of-memory exit), is dead-lettered after relay.limits.max-unfinished-attempts instead of being
-- retried forever: a crash loop. Plain SQL for H2 and PostgreSQL.
ALTER TABLE relay_inbox ADD COLUMN attempts INT DEFAULT 0 NOT NULL;
ALTER TABLE relay_groups ADD COLUMN attempts INT DEFAULT 0 NOT NULL;
-- relay_outbox.attempts counts failed deliveries (backoff, max age); this counts started ones not yet concluded.
ALTER TABLE relay_outbox ADD COLUMN unfinished INT DEFAULT 0 NOT NULL;
