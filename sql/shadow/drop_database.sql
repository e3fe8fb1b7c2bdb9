-- A template (pg::fill_template): an earlier shadow, dropped only for `shadow create --replace` and only when it
-- carries the shadow mark. Placeholder: database (pg::SqlFragment::identifier).
DROP DATABASE {database} WITH (FORCE)
