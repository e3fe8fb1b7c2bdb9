-- The lengths of the stored files' heads that a file with ?1 head bytes can be compared with, longest first.
SELECT DISTINCT head_bytes FROM log_files WHERE head_bytes IS NOT NULL AND head_bytes <= ?1 ORDER BY head_bytes DESC
