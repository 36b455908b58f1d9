-- Cluster mode: replicas sharing one store (PostgreSQL) coordinate through these rows; on the
-- embedded H2 file there is one member and it holds every lease. Plain SQL for H2 and PostgreSQL.

-- A lease: one holder at a time for a named piece of work (the singletons, one receiver's delivery).
-- The holder bumps version to renew; a candidate takes over when it has seen the same version for a
-- whole lease term on its own clock (as Kubernetes' leader election does), so replicas' clocks need
-- not agree. renewed_at is the holder's clock, for people to read.
CREATE TABLE relay_leases (
    name VARCHAR(300) PRIMARY KEY,
    holder VARCHAR(200) NOT NULL,
    version BIGINT NOT NULL,
    renewed_at BIGINT NOT NULL
);

-- The replicas, each refreshing its row while it runs: who is in the cluster, since when, on which
-- configuration (a member on an older config is visible).
CREATE TABLE relay_members (
    name VARCHAR(200) PRIMARY KEY,
    started_at BIGINT NOT NULL,
    seen_at BIGINT NOT NULL,
    config_version VARCHAR(200)
);
