-- 020_pilot_faithful: what issue 12 adds to the pilot programme (DOMAIN.md
-- §4, §5, §7): each unit's declarations stored word for word with the day
-- they were signed; receipts accepted late where the round flags instead of
-- refusing (a 通信管理局 copy), marked on the hop; annual summaries that
-- travel city → province like plans (Guangdong: 由各地级以上市…报送至省), so
-- a summary has a holder and hops; waivers of 原则上 limits with their
-- reason; extension requests an organisation asks of the authority that
-- receives from it. Times are UTC ISO-8601 text; @ID@ becomes each
-- backend's auto-increment key.

-- 真实性承诺 and 申报主体责任声明 as the unit confirmed them, and the day (Beijing time)
ALTER TABLE pilot_confirmation ADD COLUMN commitment TEXT NOT NULL DEFAULT '';
ALTER TABLE pilot_confirmation ADD COLUMN declaration TEXT NOT NULL DEFAULT '';
ALTER TABLE pilot_confirmation ADD COLUMN signed_on TEXT;

-- a receipt after its deadline that the round accepts and marks (late_policy flag)
ALTER TABLE pilot_hop ADD COLUMN late INTEGER NOT NULL DEFAULT 0 CHECK (late IN (0, 1));
-- a summary's own trail (submit to its first receiver, forward, copy)
ALTER TABLE pilot_hop ADD COLUMN summary_id BIGINT REFERENCES pilot_summary (id);
CREATE INDEX pilot_hop_summary ON pilot_hop (summary_id);

-- who holds a summary now (its first receiver until it is forwarded)
ALTER TABLE pilot_summary ADD COLUMN holder_org_id BIGINT REFERENCES organisation (id);
-- the parts a round adds to the notice's three (summary_sections), as {key: text}
ALTER TABLE pilot_summary ADD COLUMN sections TEXT NOT NULL DEFAULT '{}';

-- a 原则上 limit a scheme or plan may exceed: rule is a limit key of the round
CREATE TABLE pilot_waiver (
    id                 @ID@,
    round_id           TEXT NOT NULL,
    kind               TEXT NOT NULL CHECK (kind IN ('scheme', 'plan')),
    doc_id             BIGINT NOT NULL,
    rule               TEXT NOT NULL,
    reason             TEXT NOT NULL,
    granted_by_org_id  BIGINT NOT NULL REFERENCES organisation (id),
    granted_by_user_id BIGINT NOT NULL REFERENCES app_user (id),
    created_at         TEXT NOT NULL,
    UNIQUE (kind, doc_id, rule)
);

-- 申请延期: an organisation asks the authority receiving under a deadline for more time
CREATE TABLE pilot_extension_request (
    id             @ID@,
    round_id       TEXT NOT NULL,
    deadline_key   TEXT NOT NULL,
    org_id         BIGINT NOT NULL REFERENCES organisation (id),
    to_org_id      BIGINT NOT NULL REFERENCES organisation (id),
    until_date     TEXT NOT NULL,
    reason         TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('open', 'granted', 'declined')),
    answer         TEXT NOT NULL DEFAULT '',
    extension_id   BIGINT REFERENCES pilot_extension (id),
    created_by     BIGINT NOT NULL REFERENCES app_user (id),
    created_at     TEXT NOT NULL,
    decided_at     TEXT
);
CREATE INDEX pilot_extension_request_to ON pilot_extension_request (to_org_id, status);
CREATE INDEX pilot_extension_request_org ON pilot_extension_request (org_id);

-- a 推荐意见 received after recommendation_at_ministry where the round flags instead of refusing
ALTER TABLE pilot_recommendation ADD COLUMN late INTEGER NOT NULL DEFAULT 0 CHECK (late IN (0, 1));
