-- A template (pg::fill_template): the rows of a table as COPY text. Placeholders: table
-- (pg::SqlFragment::qualified) and columns (pg::SqlFragment::identifiers).
COPY (SELECT {columns} FROM {table}) TO STDOUT
