-- A template (pg::fill_template): a repeatable Bernoulli sample of a table's rows as COPY text. Placeholders:
-- table (pg::SqlFragment::qualified), columns (pg::SqlFragment::identifiers) and percent, the share of rows
-- (pg::SqlFragment::number).
COPY (SELECT {columns} FROM {table} TABLESAMPLE BERNOULLI ({percent}) REPEATABLE (42)) TO STDOUT
