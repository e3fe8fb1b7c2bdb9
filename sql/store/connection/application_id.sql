-- The SQLite application id of the file (a pgadvisor store has Store::kApplicationId).
PRAGMA application_id
