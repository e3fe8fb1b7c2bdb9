-- Passes with filters that the progress without filters has overtaken: what they counted lies before it.
DELETE FROM log_file_passes WHERE file = :file AND offset <= :offset
