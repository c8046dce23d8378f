-- Modeled on Snuba's sessions_raw_local: one row per session update, as Relay writes them.
-- seq = 0 marks a session's first update (Relay writes 0 when the SDK sets init), so counting
-- rows with seq = 0 counts sessions once however many updates follow. Pre-aggregated sessions
-- (SDK "aggregates") have the nil session_id and carry their count in quantity.
-- distinct_id is the SDK's "did" as sent ('' when absent): uniq() hashes it either way.
-- duration is in seconds; 4294967295 (UInt32 max) means unknown, as in Snuba.
CREATE TABLE IF NOT EXISTS sessions
(
    session_id UUID,
    distinct_id String,
    seq UInt64,
    org_id UInt64,
    project_id UInt64,
    release String,
    environment String,
    status Enum8('ok' = 0, 'exited' = 1, 'crashed' = 2, 'abnormal' = 3, 'errored' = 4),
    errors UInt16,
    duration UInt32,
    quantity UInt32,
    started DateTime,
    received DateTime,
    retention_days UInt16
)
ENGINE = MergeTree()
PARTITION BY toMonday(started)
ORDER BY (org_id, project_id, release, environment, started)
SETTINGS index_granularity = 16384
