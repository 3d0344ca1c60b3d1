-- 042_pilot_attachment: what a scheme's or a plan's author uploads beside
-- the form (issue 11, DOMAIN.md §5): a scan of each unit's signed and sealed
-- pages (what = 'seal', item = the unit's USCC as pilot_unit holds it) and a
-- copy of each listed 证明材料 of Annex 1 (what = 'material', item =
-- 'unit.N' or 'scheme.N', the Nth line of form.materials.unit / .scheme;
-- label = that line's text when uploaded). The file itself is a platform
-- blob (010_blob: SHA-256, size, media type). One row per item: a new upload
-- while the record is editable replaces the row (the blob stays, as every
-- blob does). Read and written by app/pilot/attach.c only.
CREATE TABLE pilot_attachment (
    id          @ID@,
    kind        TEXT NOT NULL CHECK (kind IN ('scheme', 'plan')),
    doc_id      BIGINT NOT NULL,
    what        TEXT NOT NULL CHECK (what IN ('seal', 'material')),
    item        TEXT NOT NULL,
    label       TEXT NOT NULL,
    blob_id     BIGINT NOT NULL REFERENCES blob (id),
    user_id     BIGINT NOT NULL REFERENCES app_user (id),
    created_at  TEXT NOT NULL,
    UNIQUE (kind, doc_id, what, item)
);
