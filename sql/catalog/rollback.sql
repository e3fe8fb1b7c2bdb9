-- Abandons the snapshot's read-only transaction after a failure (a timeout, a lost privilege), so that the
-- connection can be used again.
ROLLBACK
