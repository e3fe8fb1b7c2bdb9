-- A template (pg::fill_template): the shadow's database. Placeholder: database (pg::SqlFragment::identifier).
CREATE DATABASE {database}
