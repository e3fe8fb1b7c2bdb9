-- Ends the snapshot's read-only transaction (nothing was written; COMMIT just releases the snapshot).
COMMIT
