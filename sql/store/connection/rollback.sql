-- Ends a transaction, undoing its changes.
ROLLBACK
