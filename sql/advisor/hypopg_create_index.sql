-- A hypothetical index, private to this session (HypoPG). $1: its CREATE INDEX statement.
SELECT indexrelid FROM hypopg_create_index($1)
