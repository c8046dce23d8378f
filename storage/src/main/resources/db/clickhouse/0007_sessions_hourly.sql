-- Modeled on Snuba's sessions_hourly_local: per hour, release and environment, the states that
-- crash-free sessions and crash-free users are computed from (read with the -Merge combinators,
-- grouped: unmerged parts hold partial states). *_preaggr count SDK-aggregated sessions, which have
-- no session_id or user to count distinctly.
CREATE TABLE IF NOT EXISTS sessions_hourly
(
    org_id UInt64,
    project_id UInt64,
    release String,
    environment String,
    started DateTime,
    duration_quantiles AggregateFunction(quantilesIf(0.5, 0.9), UInt32, UInt8),
    sessions AggregateFunction(countIf, UUID, UInt8),
    sessions_preaggr AggregateFunction(sumIf, UInt32, UInt8),
    sessions_crashed AggregateFunction(countIf, UUID, UInt8),
    sessions_crashed_preaggr AggregateFunction(sumIf, UInt32, UInt8),
    sessions_abnormal AggregateFunction(countIf, UUID, UInt8),
    sessions_abnormal_preaggr AggregateFunction(sumIf, UInt32, UInt8),
    sessions_errored AggregateFunction(uniqIf, UUID, UInt8),
    sessions_errored_preaggr AggregateFunction(sumIf, UInt32, UInt8),
    users AggregateFunction(uniqIf, String, UInt8),
    users_crashed AggregateFunction(uniqIf, String, UInt8),
    users_abnormal AggregateFunction(uniqIf, String, UInt8),
    users_errored AggregateFunction(uniqIf, String, UInt8)
)
ENGINE = AggregatingMergeTree()
PARTITION BY toMonday(started)
ORDER BY (org_id, project_id, release, environment, started)
SETTINGS index_granularity = 256
