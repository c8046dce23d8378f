-- Modeled on Snuba's outcomes_hourly_local. Rows with equal sort keys are summed on merge, so
-- read with sum(times_seen), sum(quantity) ... GROUP BY: parts not merged yet hold partial sums.
CREATE TABLE IF NOT EXISTS outcomes_hourly
(
    org_id UInt64,
    project_id UInt64,
    key_id UInt64,
    timestamp DateTime,
    outcome UInt8,
    reason String,
    category UInt8,
    times_seen UInt64,
    quantity UInt64
)
ENGINE = SummingMergeTree()
PARTITION BY toMonday(timestamp)
ORDER BY (org_id, project_id, key_id, outcome, reason, category, timestamp)
SETTINGS index_granularity = 256
