-- Opens the transaction a guarded query is measured in; it always ends with gate/rollback, so that a write (or a
-- read calling a function that writes) leaves nothing behind.
BEGIN
