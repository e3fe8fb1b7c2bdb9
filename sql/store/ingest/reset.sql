DELETE FROM log_class_samples;
DELETE FROM log_class_breakdown;
DELETE FROM log_class_stats;
DELETE FROM log_ingest_totals;
DELETE FROM log_file_passes;
DELETE FROM log_files;
