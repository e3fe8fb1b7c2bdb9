-- The number of the last migration applied to the store.
PRAGMA user_version
