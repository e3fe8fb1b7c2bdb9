-- A template (pg::fill_template): the rows of copy_out, into the same table of the shadow. Placeholders: table
-- (pg::SqlFragment::qualified) and columns (pg::SqlFragment::identifiers).
COPY {table} ({columns}) FROM STDIN
