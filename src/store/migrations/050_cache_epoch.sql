-- 050_cache_epoch: one counter that every change to a row kept in memory by
-- some process (who a session or an API token is, a product) increments in
-- the change's own transaction; every server reads it every few milliseconds
-- and drops its copies when it moves (src/store/store_epoch.c, docs/security.md).
CREATE TABLE cache_epoch (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    n   BIGINT NOT NULL
);
INSERT INTO cache_epoch (id, n) VALUES (1, 0);
