-- 051_audit_pending: an audit entry may be written before it is chained. On
-- PostgreSQL a use case's transaction inserts its entry without seq, prev_hash
-- and hash (no lock: writers no longer queue behind the one audit_head row),
-- and one sequencer at a time chains the committed ones in batches
-- (src/app/audit.c, docs/security.md); every reader of the chain chains what
-- is pending first. SQLite chains in the use case's transaction, as before.
-- id orders the pending entries; the existing ones keep their seq.
CREATE TABLE audit_log_051 (
    id           @ID@,
    seq          BIGINT UNIQUE,
    at           TEXT NOT NULL,
    user_id      BIGINT NOT NULL,
    org_id       BIGINT NOT NULL,
    actor        TEXT NOT NULL,
    action       TEXT NOT NULL,
    object_type  TEXT NOT NULL,
    object_id    TEXT NOT NULL,
    summary      TEXT NOT NULL,
    prev_hash    TEXT,
    hash         TEXT UNIQUE,
    CHECK ((seq IS NULL AND prev_hash IS NULL AND hash IS NULL) OR
           (seq IS NOT NULL AND prev_hash IS NOT NULL AND hash IS NOT NULL))
);
INSERT INTO audit_log_051 (seq, at, user_id, org_id, actor, action, object_type, object_id,
                           summary, prev_hash, hash)
SELECT seq, at, user_id, org_id, actor, action, object_type, object_id, summary, prev_hash, hash
FROM audit_log ORDER BY seq;
DROP TABLE audit_log;
ALTER TABLE audit_log_051 RENAME TO audit_log;
CREATE INDEX audit_log_org ON audit_log (org_id, seq);
CREATE INDEX audit_log_object ON audit_log (object_type, object_id);
CREATE INDEX audit_log_pending ON audit_log (id) WHERE seq IS NULL;
