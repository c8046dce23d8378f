-- Feeds sessions_hourly from sessions. A session counts once (its seq = 0 update); crashed and
-- abnormal count the final update with that status; errored counts distinct sessions that had an
-- error or ended badly, since an errored session sends several updates with errors > 0.
-- The nil UUID marks a pre-aggregated row, which counts through quantity instead.
CREATE MATERIALIZED VIEW IF NOT EXISTS sessions_mv_hourly TO sessions_hourly
AS
SELECT
    org_id,
    project_id,
    release,
    environment,
    toStartOfHour(started) AS started,
    quantilesIfState(0.5, 0.9)(duration, duration != 4294967295 AND status = 'exited') AS duration_quantiles,
    countIfState(session_id, seq = 0 AND session_id != toUUID('00000000-0000-0000-0000-000000000000')) AS sessions,
    sumIfState(quantity, seq = 0 AND session_id = toUUID('00000000-0000-0000-0000-000000000000')) AS sessions_preaggr,
    countIfState(session_id, status = 'crashed' AND session_id != toUUID('00000000-0000-0000-0000-000000000000')) AS sessions_crashed,
    sumIfState(quantity, status = 'crashed' AND session_id = toUUID('00000000-0000-0000-0000-000000000000')) AS sessions_crashed_preaggr,
    countIfState(session_id, status = 'abnormal' AND session_id != toUUID('00000000-0000-0000-0000-000000000000')) AS sessions_abnormal,
    sumIfState(quantity, status = 'abnormal' AND session_id = toUUID('00000000-0000-0000-0000-000000000000')) AS sessions_abnormal_preaggr,
    uniqIfState(session_id, (errors > 0 OR status IN ('crashed', 'abnormal', 'errored')) AND session_id != toUUID('00000000-0000-0000-0000-000000000000')) AS sessions_errored,
    sumIfState(quantity, status IN ('crashed', 'abnormal', 'errored') AND session_id = toUUID('00000000-0000-0000-0000-000000000000')) AS sessions_errored_preaggr,
    uniqIfState(distinct_id, distinct_id != '') AS users,
    uniqIfState(distinct_id, status = 'crashed' AND distinct_id != '') AS users_crashed,
    uniqIfState(distinct_id, status = 'abnormal' AND distinct_id != '') AS users_abnormal,
    uniqIfState(distinct_id, (errors > 0 OR status IN ('crashed', 'abnormal', 'errored')) AND distinct_id != '') AS users_errored
FROM sessions
GROUP BY org_id, project_id, release, environment, started
