INSERT INTO log_ingest_totals (name, value) VALUES (:name, :value)
ON CONFLICT (name) DO UPDATE SET value = value + excluded.value
