-- A template: {database} is an earlier shadow's name (quoted by pg::quote_identifier), dropped only for
-- `shadow create --replace` and only when it carries the shadow mark.
DROP DATABASE {database} WITH (FORCE)
