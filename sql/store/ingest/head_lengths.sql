-- The lengths of the stored files' heads that a file with :max_bytes head bytes can be compared with, longest first.
SELECT DISTINCT head_bytes FROM log_files WHERE head_bytes IS NOT NULL AND head_bytes <= :max_bytes ORDER BY head_bytes DESC
