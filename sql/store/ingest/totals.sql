SELECT name, value FROM log_ingest_totals ORDER BY name
