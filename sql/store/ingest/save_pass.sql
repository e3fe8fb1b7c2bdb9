-- The progress of an ingest with filters: the entries before :offset that match them are counted.
INSERT INTO log_file_passes (file, database, user_name, application, since, until, offset, lines)
VALUES (:file, :database, :user_name, :application, :since, :until, :offset, :lines)
ON CONFLICT (file, database, user_name, application, since, until) DO UPDATE SET offset = excluded.offset,
  lines = excluded.lines
