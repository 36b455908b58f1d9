-- Robot rate budgets (delivery/RateBudgets): one Bucket4j token bucket per receiver and limit, named
-- "receiver|perSecond/perMinute" (a changed limit starts a new bucket), in the store so
-- that every replica spends the same budget and a restart does not refill it. state is Bucket4j's
-- serialised bucket, read and written under a row lock (SELECT ... FOR UPDATE) by whichever replica
-- sends. Plain SQL for H2 and PostgreSQL (BYTEA is H2's name for a variable binary too).
CREATE TABLE relay_rate_budgets (
    bucket VARCHAR(300) PRIMARY KEY,
    state BYTEA
);

-- The send log of the hand-written limiter these buckets replace: nothing reads it any more.
DROP TABLE relay_sent;
