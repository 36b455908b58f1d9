-- Relay silences (issue 15), Alertmanager's: alerts all of whose labels a silence's matchers match are not
-- notified while it is active (the mute stage, routes/pipeline.yaml). Made through /api/v2/silences
-- (amtool) or the relay's pages; silence/Silences keeps them. Plain SQL for H2 and PostgreSQL.
-- id: a UUID. matchers: JSON [{"name","value","isRegex","isEqual"}], all must match.
-- starts_at, ends_at, updated_at: epoch ms; ends_at is moved to the expiry time when a silence is expired.
-- An expired silence is kept relay.silences.retention after its end, then deleted.
CREATE TABLE IF NOT EXISTS relay_silences (
    id          VARCHAR(36)   PRIMARY KEY,
    matchers    TEXT          NOT NULL,
    starts_at   BIGINT        NOT NULL,
    ends_at     BIGINT        NOT NULL,
    updated_at  BIGINT        NOT NULL,
    created_by  VARCHAR(200)  NOT NULL,
    comment     VARCHAR(4000) NOT NULL
);
CREATE INDEX IF NOT EXISTS relay_silences_ends ON relay_silences (ends_at);
