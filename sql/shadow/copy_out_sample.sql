-- A template: a repeatable Bernoulli sample of {table} (quoted by pg::quote_qualified) with {percent} of its
-- rows (a number pgadvisor formats), {columns} quoted by pg::quote_identifier.
COPY (SELECT {columns} FROM {table} TABLESAMPLE BERNOULLI ({percent}) REPEATABLE (42)) TO STDOUT
