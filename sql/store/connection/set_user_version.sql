-- Records the migration just applied. A pragma takes no parameter: the number is a placeholder that Store::migrate
-- fills with pg::fill_template (an integer fragment).
PRAGMA user_version = {version}
