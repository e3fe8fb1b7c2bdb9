-- A snapshot's catalog knows its partitions: the partitioned table each partition belongs to (both columns NULL
-- for a table that is no partition, and in snapshots stored before this migration), and the partitioned table's
-- index each partition's index is attached to ('' when none). table_snapshots.kind may now also be f (a foreign
-- table).
ALTER TABLE table_snapshots ADD COLUMN partition_of_schema TEXT;
ALTER TABLE table_snapshots ADD COLUMN partition_of TEXT;
ALTER TABLE index_snapshots ADD COLUMN attached_to TEXT NOT NULL DEFAULT '';
