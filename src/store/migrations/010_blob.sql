-- 010_blob: files kept in the store, so that any server of a cluster serves
-- them (app/blob/blob.h). A blob is its metadata and its content in chunks of
-- chunk_size bytes numbered from 0 (every chunk full but the last). A blob
-- never changes once written; the record that holds it (an organisation's
-- file, a claim's evidence, a pilot attachment) refers to it by id, and
-- purpose says which kind of record that is. sha256 is of the whole content,
-- computed while it was received; blob_verify recomputes it from the chunks.
CREATE TABLE blob (
    id          @ID@,
    org_id      BIGINT NOT NULL REFERENCES organisation (id),
    user_id     BIGINT REFERENCES app_user (id),
    purpose     TEXT NOT NULL,
    sha256      TEXT NOT NULL CHECK (length(sha256) = 64),
    size        BIGINT NOT NULL CHECK (size >= 0),
    chunk_size  INTEGER NOT NULL CHECK (chunk_size > 0),
    media_type  TEXT NOT NULL,
    filename    TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX blob_org ON blob (org_id, purpose, id);

CREATE TABLE blob_chunk (
    blob_id  BIGINT NOT NULL REFERENCES blob (id),
    seq      INTEGER NOT NULL CHECK (seq >= 0),
    data     @BLOB@ NOT NULL,
    PRIMARY KEY (blob_id, seq)
);
