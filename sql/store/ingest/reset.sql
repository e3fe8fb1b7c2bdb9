DELETE FROM log_class_samples;
DELETE FROM log_class_breakdown;
DELETE FROM log_class_stats;
DELETE FROM log_ingest_totals;
DELETE FROM log_files;
