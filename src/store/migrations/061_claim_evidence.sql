-- 061_claim_evidence: the evidence chain of a claim (溯源取证, docs/claims.md
-- "Evidence"). Each row is one link: an item (its content a blob of purpose
-- "evidence", 010_blob) or a custody transfer of an earlier item. seq numbers
-- the links of one claim from 1; hash is SHA-256 of prev_hash and the row's
-- own fields (the canonical text docs/claims.md gives), prev_hash the hash of
-- link seq − 1 (64 zeros for the first), so that a change to any row, or to an
-- item's blob, is found by `cyberins evidence verify CLAIM`.
CREATE TABLE claim_evidence (
    id            @ID@,
    claim_id      BIGINT NOT NULL REFERENCES claim (id),
    seq           INTEGER NOT NULL CHECK (seq >= 1),
    kind          TEXT NOT NULL CHECK (kind IN ('item', 'custody')),
    item_seq      INTEGER NOT NULL CHECK (item_seq >= 1),
    blob_id       BIGINT REFERENCES blob (id),
    sha256        TEXT NOT NULL,
    size          BIGINT NOT NULL CHECK (size >= 0),
    media_type    TEXT NOT NULL,
    filename      TEXT NOT NULL,
    description   TEXT NOT NULL,
    collected_by  TEXT NOT NULL,
    collected_at  TEXT NOT NULL,
    method        TEXT NOT NULL,
    from_holder   TEXT NOT NULL DEFAULT '',
    to_holder     TEXT NOT NULL DEFAULT '',
    org_id        BIGINT NOT NULL REFERENCES organisation (id),
    user_id       BIGINT NOT NULL,
    created_at    TEXT NOT NULL,
    prev_hash     TEXT NOT NULL CHECK (length(prev_hash) = 64),
    hash          TEXT NOT NULL CHECK (length(hash) = 64),
    UNIQUE (claim_id, seq)
);
