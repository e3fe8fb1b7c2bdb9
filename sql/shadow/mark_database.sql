-- A template (pg::fill_template): marks a database as a shadow of its source. Placeholders: database
-- (pg::SqlFragment::identifier) and source, "<system identifier>/<database>" of the source
-- (pg::SqlFragment::literal).
ALTER DATABASE {database} SET pgadvisor.shadow_of = {source}
