-- Per-project settings the gateway reads with the project state: inbound filter settings in
-- Relay's `filterSettings` shape, quotas, and whatever later parts add. jsonb so that a Sentry
-- project config can be pasted without a migration per option.
ALTER TABLE projects ADD COLUMN options jsonb NOT NULL DEFAULT '{}'::jsonb;
ALTER TABLE organizations ADD COLUMN status text NOT NULL DEFAULT 'active'
    CHECK (status IN ('active', 'disabled'));
