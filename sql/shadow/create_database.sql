-- A template: {database} is the shadow database's name, quoted by pg::quote_identifier.
CREATE DATABASE {database}
