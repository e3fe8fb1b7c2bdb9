-- The search path a snapshot's catalog resolves unqualified table names with (current_schemas(false)), as a
-- PostgreSQL array literal, so a Catalog loaded from the store finds tables as the server would.
ALTER TABLE server_snapshots ADD COLUMN search_path TEXT NOT NULL DEFAULT '{public}';
