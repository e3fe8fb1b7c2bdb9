-- Ends a measurement block (or a failed setup) without keeping anything.
ROLLBACK
