-- Feeds outcomes_hourly from every block inserted into outcomes_raw (rows inserted before the view
-- existed are not backfilled). NULL key_id becomes 0 and NULL reason 'none', as in Snuba.
CREATE MATERIALIZED VIEW IF NOT EXISTS outcomes_mv_hourly TO outcomes_hourly
AS
SELECT
    org_id,
    project_id,
    ifNull(key_id, 0) AS key_id,
    toStartOfHour(timestamp) AS timestamp,
    outcome,
    ifNull(reason, 'none') AS reason,
    category,
    count() AS times_seen,
    sum(quantity) AS quantity
FROM outcomes_raw
GROUP BY org_id, project_id, key_id, timestamp, outcome, reason, category
