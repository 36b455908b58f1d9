-- The embedded store's journal (issue 11): the records already dispatched, by segment and offset, so
-- that a segment replayed after a crash skips them. Rows go with their segment file. Unused on a
-- shared database (cluster mode has no journal), created there too: one schema history for both.
CREATE TABLE IF NOT EXISTS relay_journal_done (
    segment BIGINT NOT NULL,
    record_offset BIGINT NOT NULL,
    PRIMARY KEY (segment, record_offset)
);
