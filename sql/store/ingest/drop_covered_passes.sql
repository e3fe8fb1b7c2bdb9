-- Passes with filters that the progress without filters has overtaken: what they counted lies before it.
DELETE FROM log_file_passes WHERE file = ?1 AND offset <= ?2
