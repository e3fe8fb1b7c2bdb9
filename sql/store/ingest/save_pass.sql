-- The progress of an ingest with filters: the entries before ?7 that match them are counted.
INSERT INTO log_file_passes (file, database, user_name, application, since, until, offset, lines)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
ON CONFLICT (file, database, user_name, application, since, until) DO UPDATE SET offset = excluded.offset,
  lines = excluded.lines
