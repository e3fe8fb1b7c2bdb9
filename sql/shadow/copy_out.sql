-- A template: the rows of {table} (quoted by pg::quote_qualified) as COPY text; {columns} are quoted by
-- pg::quote_identifier.
COPY (SELECT {columns} FROM {table}) TO STDOUT
