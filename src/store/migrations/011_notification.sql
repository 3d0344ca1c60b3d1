-- 011_notification: in-app notifications (app/notify/notify.h), raised by any
-- capability inside its own transaction. The recipient is an organisation,
-- optionally narrowed to one of its users or to one role; each user reads
-- them on its own (notification_read), so one colleague reading an
-- organisation-wide notification leaves it unread for the others.
CREATE TABLE notification (
    id           @ID@,
    org_id       BIGINT NOT NULL REFERENCES organisation (id),
    user_id      BIGINT REFERENCES app_user (id),
    role         TEXT CHECK (role IN ('admin', 'member', 'viewer')),
    kind         TEXT NOT NULL,
    object_type  TEXT NOT NULL,
    object_id    TEXT NOT NULL,
    text_zh      TEXT NOT NULL,
    text_en      TEXT NOT NULL,
    link         TEXT,
    created_at   TEXT NOT NULL,
    CHECK (user_id IS NULL OR role IS NULL)
);
CREATE INDEX notification_org ON notification (org_id, id);

CREATE TABLE notification_read (
    notification_id  BIGINT NOT NULL REFERENCES notification (id),
    user_id          BIGINT NOT NULL REFERENCES app_user (id),
    read_at          TEXT NOT NULL,
    PRIMARY KEY (notification_id, user_id)
);
