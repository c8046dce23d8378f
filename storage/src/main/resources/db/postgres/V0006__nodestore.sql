-- Event payloads. One row per saved event: id = md5("{project_id}:{event_id}") in hex,
-- data = zstd-compressed event JSON.
--
-- Partitioned by day (UTC) so retention DROPs whole partitions: no row-level DELETE, no dead tuples,
-- no VACUUM FULL. Nodestore creates the daily partitions nodestore_node_pYYYYMMDD itself, ahead
-- of time and on demand. There is deliberately no DEFAULT partition: rows in it would block
-- creating the partition for their day, and it could never be dropped by day.
CREATE TABLE nodestore_node (
    id          char(32)    COLLATE "C" NOT NULL,
    data        bytea       NOT NULL,
    "timestamp" timestamptz NOT NULL,
    PRIMARY KEY (id, "timestamp")
) PARTITION BY RANGE ("timestamp");

-- The payload is already zstd-compressed: keep it out of line when large, but never let TOAST
-- spend CPU trying to pglz-compress it again. Partitions copy this setting from the parent.
ALTER TABLE nodestore_node ALTER COLUMN data SET STORAGE EXTERNAL;
