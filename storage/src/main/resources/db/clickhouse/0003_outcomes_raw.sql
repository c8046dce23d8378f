-- Modeled on Snuba's outcomes_raw_local: one row per outcome message (Relay's fields). key_id,
-- reason and event_id are NULL when Relay sends none; outcomes_hourly maps them to non-null values
-- because 18.16 cannot have a Nullable column in a SummingMergeTree sort key.
-- outcome: 0 accepted, 1 filtered, 2 rate_limited, 3 invalid, 4 abuse, 5 client_discard.
-- category: Relay's DataCategory numbers (1 error, 2 transaction, 4 attachment, 5 session, ...).
CREATE TABLE IF NOT EXISTS outcomes_raw
(
    org_id UInt64,
    project_id UInt64,
    key_id Nullable(UInt64),
    timestamp DateTime,
    outcome UInt8,
    reason Nullable(String),
    event_id Nullable(UUID),
    category UInt8,
    quantity UInt64
)
ENGINE = MergeTree()
PARTITION BY toMonday(timestamp)
ORDER BY (org_id, project_id, timestamp)
SETTINGS index_granularity = 16384
