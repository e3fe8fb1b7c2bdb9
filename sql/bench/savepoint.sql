-- Before each measured run: the run's writes are undone by bench/rollback_to_savepoint.
SAVEPOINT pgadvisor_run
