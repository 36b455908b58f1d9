-- Floods (issue 12). relay_floods: one row per receiver in the flood gear (its messages are summaries):
-- when it began, the distinct groups its summaries covered so far and how many of those are resolved,
-- and since when its backlog has been calm (null while it is not); the row goes with the "storm over"
-- message.
CREATE TABLE IF NOT EXISTS relay_floods (
    receiver          VARCHAR(200) PRIMARY KEY,
    started_at        BIGINT       NOT NULL,
    groups_summarized BIGINT       NOT NULL,
    resolved          BIGINT       NOT NULL,
    calm_since        BIGINT
);

-- Groups a summary covered, in the state it counted them (firing or not): their resolution is summarized
-- too (never replayed one by one), until a firing state of theirs is delivered on its own again.
-- key_hash: SHA-256 (hex) of receiver NUL group key, as in relay_notification_log.
CREATE TABLE IF NOT EXISTS relay_summarized (
    key_hash      VARCHAR(64)   PRIMARY KEY,
    receiver      VARCHAR(200)  NOT NULL,
    group_key     VARCHAR(2048) NOT NULL,
    alertname     VARCHAR(200)  NOT NULL,
    severity      VARCHAR(200)  NOT NULL,
    firing        BOOLEAN       NOT NULL,
    summarized_at BIGINT        NOT NULL
);
CREATE INDEX IF NOT EXISTS relay_summarized_receiver ON relay_summarized (receiver, summarized_at);
CREATE INDEX IF NOT EXISTS relay_summarized_at ON relay_summarized (summarized_at);
