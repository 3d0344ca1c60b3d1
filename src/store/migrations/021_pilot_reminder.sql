-- 021_pilot_reminder: deadline reminders of the pilot (issue 12). When an
-- organisation comes to owe material under a deadline of a round, a job per
-- day of the round's reminders_days is queued for that day (job.run_after);
-- the job reminds the organisation in the app (notification kind
-- pilot.deadline) if it still owes, once per organisation, deadline and
-- day: this table is that "once". Times are UTC ISO-8601 text.
CREATE TABLE pilot_reminder (
    id            @ID@,
    round_id      TEXT NOT NULL,
    deadline_key  TEXT NOT NULL,
    org_id        BIGINT NOT NULL REFERENCES organisation (id),
    days          INTEGER NOT NULL CHECK (days BETWEEN 1 AND 366),
    deadline_at   TEXT NOT NULL,
    sent_at       TEXT NOT NULL,
    UNIQUE (round_id, deadline_key, org_id, days)
);
CREATE INDEX pilot_reminder_org ON pilot_reminder (org_id, id);
