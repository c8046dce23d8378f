-- Modeled on Snuba's errors_local. ReplacingMergeTree(deleted): a replayed batch collapses onto the
-- same sort key (same project, day, hash and event_id), and a later row with deleted = 1 replaces
-- the original. Read with FINAL (or dedupe by event_id) until the background merge has run.
-- cityHash64(toString(event_id)): 18.16 cannot hash a UUID directly. UUIDs must be sent
-- hyphenated (ClickHouseWriter.uuid): 18.16 rejects the 32-hex form Sentry uses.
-- Omitted JSONEachRow fields get the type's zero value on 18.16 (DEFAULT expressions are ignored
-- there), so writers send every column that must not be zero/empty.
CREATE TABLE IF NOT EXISTS errors
(
    project_id UInt64,
    timestamp DateTime,
    event_id UUID,
    group_id UInt64,
    primary_hash FixedString(32),
    platform String,
    environment Nullable(String),
    release Nullable(String),
    dist Nullable(String),
    level String,
    title String,
    message String,
    culprit String,
    type String,
    transaction_name String,
    trace_id Nullable(UUID),
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
    http_url Nullable(String),
    tags Nested(key String, value String),
    contexts Nested(key String, value String),
    exception_stacks Nested(
        type Nullable(String),
        value Nullable(String),
        mechanism_type Nullable(String),
        mechanism_handled Nullable(UInt8)),
    exception_frames Nested(
        abs_path Nullable(String),
        filename Nullable(String),
        package Nullable(String),
        module Nullable(String),
        function Nullable(String),
        lineno Nullable(UInt32),
        in_app Nullable(UInt8),
        stack_level UInt16),
    received DateTime,
    retention_days UInt16,
    deleted UInt8
)
ENGINE = ReplacingMergeTree(deleted)
PARTITION BY (retention_days, toMonday(timestamp))
ORDER BY (project_id, toStartOfDay(timestamp), primary_hash, cityHash64(toString(event_id)))
SAMPLE BY cityHash64(toString(event_id))
SETTINGS index_granularity = 8192
