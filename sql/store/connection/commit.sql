-- Ends a transaction, keeping its changes.
COMMIT
