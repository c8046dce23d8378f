-- Modeled on Snuba's transactions_local. Snuba's sort key ends in cityHash64(span_id); ours ends in
-- the event_id hash so that ReplacingMergeTree collapses a replayed transaction by event id (span_id
-- is the transaction's root span and as unique, but event_id is what a replay repeats for sure).
-- toString(): 18.16 cannot hash a UUID directly.
-- transaction_status uses Sentry's span status names with Snuba's codes; the writer sends the
-- name, and an unknown name fails the insert, so map anything else to 'unknown' before writing.
CREATE TABLE IF NOT EXISTS transactions
(
    project_id UInt64,
    event_id UUID,
    trace_id UUID,
    span_id String,
    transaction_name String,
    transaction_op String,
    transaction_status Enum8(
        'ok' = 0, 'cancelled' = 1, 'unknown' = 2, 'invalid_argument' = 3, 'deadline_exceeded' = 4,
        'not_found' = 5, 'already_exists' = 6, 'permission_denied' = 7, 'resource_exhausted' = 8,
        'failed_precondition' = 9, 'aborted' = 10, 'out_of_range' = 11, 'unimplemented' = 12,
        'internal_error' = 13, 'unavailable' = 14, 'data_loss' = 15, 'unauthenticated' = 16),
    start_ts DateTime,
    start_ms UInt16,
    finish_ts DateTime,
    finish_ms UInt16,
    duration UInt32,
    platform String,
    environment Nullable(String),
    release Nullable(String),
    dist Nullable(String),
    user String,
    user_id Nullable(String),
    user_name Nullable(String),
    user_email Nullable(String),
    ip_address_v4 Nullable(String),
    ip_address_v6 Nullable(String),
    sdk_name String,
    sdk_version String,
    http_method Nullable(String),
    http_referer Nullable(String),
    tags Nested(key String, value String),
    contexts Nested(key String, value String),
    measurements Nested(key String, value Float64),
    received DateTime,
    retention_days UInt16,
    deleted UInt8
)
ENGINE = ReplacingMergeTree(deleted)
PARTITION BY (retention_days, toMonday(finish_ts))
ORDER BY (project_id, toStartOfDay(finish_ts), transaction_name, cityHash64(toString(event_id)))
SAMPLE BY cityHash64(toString(event_id))
SETTINGS index_granularity = 8192
