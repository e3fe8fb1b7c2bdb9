-- The progress of an ingest without filters: every entry before ?2 is counted.
UPDATE log_files SET offset = ?2, lines = ?3 WHERE id = ?1
