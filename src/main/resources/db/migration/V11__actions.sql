-- Actions from the message (issue 15): what each (receiver, group) was last notified with, so that a
-- signed link from the message can show and act on it, its acknowledgement, and its escalation. Plain
-- SQL for H2 and PostgreSQL. Written only when actions are enabled (relay.external-url set) or the
-- group's routing rule escalates.
-- key_hash: as relay_notification_log's (SHA-256 hex of receiver NUL group key).
-- group_hash: SHA-256 (hex) of the group key alone: an acknowledgement or a silence ends the
-- escalation of the group for every receiver (an index on the key itself could exceed PostgreSQL's
-- limit for an index entry).
-- payload: the group as last queued for the receiver (store/GroupJson). updated_at: epoch ms.
-- acked_by, acked_at, ack_comment: who acknowledged it; ack_firing: the fingerprints firing then,
-- comma-separated: repeats of exactly those are suppressed, a change ends the acknowledgement.
-- escalation: the rule's steps as JSON ([{"after": ms, "receivers": [...]}]); escalation_since: the
-- firing notification the steps count from; escalation_step: the next step (0-based); escalation_due:
-- when it is due (epoch ms), null once nothing more is due (all sent, acknowledged, silenced, resolved).
CREATE TABLE IF NOT EXISTS relay_notified_groups (
    key_hash    VARCHAR(64)   PRIMARY KEY,
    receiver    VARCHAR(200)  NOT NULL,
    group_key   VARCHAR(2048) NOT NULL,
    group_hash  VARCHAR(64)   NOT NULL,
    payload     TEXT          NOT NULL,
    updated_at  BIGINT        NOT NULL,
    acked_by    VARCHAR(200),
    acked_at    BIGINT,
    ack_comment VARCHAR(2000),
    ack_firing  TEXT,
    escalation       TEXT,
    escalation_since BIGINT,
    escalation_step  INT,
    escalation_due   BIGINT
);
CREATE INDEX IF NOT EXISTS relay_notified_groups_updated ON relay_notified_groups (updated_at);
CREATE INDEX IF NOT EXISTS relay_notified_groups_group ON relay_notified_groups (group_hash);
CREATE INDEX IF NOT EXISTS relay_notified_groups_due ON relay_notified_groups (escalation_due);

-- Each action link works once: the SHA-256 (hex) of a used link's token, by whom and when (epoch ms);
-- kept until the link would have expired anyway.
CREATE TABLE IF NOT EXISTS relay_action_uses (
    token_hash  VARCHAR(64)   PRIMARY KEY,
    used_by     VARCHAR(200)  NOT NULL,
    used_at     BIGINT        NOT NULL,
    outcome     VARCHAR(2000) NOT NULL
);
CREATE INDEX IF NOT EXISTS relay_action_uses_used ON relay_action_uses (used_at);
