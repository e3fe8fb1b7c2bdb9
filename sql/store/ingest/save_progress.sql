-- The progress of an ingest without filters: every entry before :offset is counted.
UPDATE log_files SET offset = :offset, lines = :lines WHERE id = :id
