-- Statement statistics: the sandbox preloads the library, this makes its view.
CREATE EXTENSION IF NOT EXISTS pg_stat_statements
