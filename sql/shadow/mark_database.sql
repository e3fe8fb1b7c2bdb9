-- A template: marks a database as a shadow of its source. {database} is quoted by pg::quote_identifier,
-- {source} ("<system identifier>/<database>") by pg::quote_literal.
ALTER DATABASE {database} SET pgadvisor.shadow_of = {source}
