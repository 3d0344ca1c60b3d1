-- 013_engagement: a service organisation acts for an enterprise only when the
-- enterprise engaged it (app/engage/engage.h): an enterprise's admin grants
-- an engagement for some scopes (data/platform.json engagement_scopes) from
-- valid_from until valid_until (NULL: until ended) and may end it (ended_at).
-- Ended engagements stay, so what a service organisation did on whose
-- behalf can be traced.
CREATE TABLE engagement (
    id              @ID@,
    enterprise_id   BIGINT NOT NULL REFERENCES organisation (id),
    service_org_id  BIGINT NOT NULL REFERENCES organisation (id),
    valid_from      TEXT NOT NULL,
    valid_until     TEXT,
    note            TEXT NOT NULL DEFAULT '',
    granted_by      BIGINT NOT NULL REFERENCES app_user (id),
    created_at      TEXT NOT NULL,
    ended_at        TEXT,
    ended_by        BIGINT REFERENCES app_user (id),
    CHECK (enterprise_id <> service_org_id)
);
CREATE INDEX engagement_enterprise ON engagement (enterprise_id, id);
CREATE INDEX engagement_service ON engagement (service_org_id, id);

CREATE TABLE engagement_scope (
    engagement_id  BIGINT NOT NULL REFERENCES engagement (id),
    scope          TEXT NOT NULL,
    PRIMARY KEY (engagement_id, scope)
);
