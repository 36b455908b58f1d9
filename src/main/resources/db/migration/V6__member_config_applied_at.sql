-- When each replica applied the configuration it serves: of two members on different versions, the
-- one that applied its version earlier is on the older configuration (GET /api/v1/status shows it).
ALTER TABLE relay_members ADD COLUMN config_applied_at BIGINT;
