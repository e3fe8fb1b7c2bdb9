-- A template: a schema of the copied tables that the dump of a table selection leaves out ({schema} quoted by
-- pg::quote_identifier).
CREATE SCHEMA IF NOT EXISTS {schema}
