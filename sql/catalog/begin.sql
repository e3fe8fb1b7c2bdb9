-- Opens the snapshot's transaction: every catalog and statistics query that follows sees one consistent
-- state of the server, and the transaction cannot write (DESIGN.md, "Safety with a user's database").
BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY
