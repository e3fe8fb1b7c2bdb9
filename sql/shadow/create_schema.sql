-- A template (pg::fill_template): a schema of the copied tables that the dump of a table selection leaves out.
-- Placeholder: schema (pg::SqlFragment::identifier).
CREATE SCHEMA IF NOT EXISTS {schema}
