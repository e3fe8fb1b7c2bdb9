-- Opens a measurement block on the shadow; it always ends with bench/rollback.
BEGIN
