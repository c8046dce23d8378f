-- Cron monitors: which failed check-ins (error, missed, timeout) still owe their issue event.
-- The monitors consumer and the scheduler set needs_issue when they record a failure, in the same
-- statement; the scheduler then saves one event per such check-in (event id = the check-in's guid,
-- so saving it twice counts once) and clears the flag. A crash in between only delays the issue.
ALTER TABLE monitor_checkins ADD COLUMN needs_issue boolean NOT NULL DEFAULT false;
CREATE INDEX monitor_checkins_needs_issue_idx ON monitor_checkins (id) WHERE needs_issue;

-- cleanup deletes check-ins by age across monitors (monitor_checkins_date_added_idx exists); the
-- API lists a monitor's check-ins newest first (monitor_checkins_monitor_date_idx exists).
