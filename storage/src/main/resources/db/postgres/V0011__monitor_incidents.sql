-- Cron monitor incidents, as Sentry's MonitorIncident: a monitor is failing from the moment
-- failure_issue_threshold failed check-ins (error, missed, timeout) follow each other until
-- recovery_threshold ok check-ins follow each other (both from its monitor_config, default 1).
-- incident_checkin_id is the first failed check-in of the open incident (the incident's issue is
-- grouped by it), NULL while the monitor is ok. No foreign key: cleanup may delete that check-in
-- of a very long incident, which stays open.
--
-- needs_issue (V0010) now flags every finished check-in for that evaluation: failures may raise
-- issue events, ok check-ins may resolve the incident.
ALTER TABLE monitors ADD COLUMN incident_checkin_id bigint;
-- the evaluation reads a monitor's latest finished check-ins
CREATE INDEX monitor_checkins_monitor_finished_idx ON monitor_checkins (monitor_id, date_added DESC, id DESC)
    WHERE status <> 'in_progress';
