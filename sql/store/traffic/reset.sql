-- ingest --reset: forgets every file's traffic sample with the statistics.
DELETE FROM log_traffic_samples
