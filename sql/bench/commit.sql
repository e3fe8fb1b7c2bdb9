-- Keeps a hand-written script's changes on the shadow (bench --keep).
COMMIT
