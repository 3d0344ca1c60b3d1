-- 041_pilot_paper: the paper copies of a filing (纸质版一式三份, 加盖公章及
-- 骑缝章) as the receiving authority records their arrival, one record per
-- hop (a plan submitted to its city, a package forwarded to the province …):
-- when they arrived (received_at, stated by the receiver: 以送达时间为准),
-- how many, and the judgement — the hop's deadline (moved by the extension
-- that let the hop in), whether the round judges paper for that deadline
-- (judged) and whether the paper came after it (late). recorded_at is the
-- server's time of writing. Read and written by app/pilot/paper.c only.
CREATE TABLE pilot_paper (
    id            @ID@,
    hop_id        BIGINT NOT NULL UNIQUE REFERENCES pilot_hop (id),
    org_id        BIGINT NOT NULL REFERENCES organisation (id),
    received_at   TEXT NOT NULL,
    copies        INTEGER NOT NULL CHECK (copies BETWEEN 1 AND 99),
    deadline_key  TEXT,
    deadline_at   TEXT,
    judged        INTEGER NOT NULL CHECK (judged IN (0, 1)),
    late          INTEGER NOT NULL CHECK (late IN (0, 1)),
    comment       TEXT NOT NULL DEFAULT '',
    user_id       BIGINT NOT NULL REFERENCES app_user (id),
    recorded_at   TEXT NOT NULL
);
