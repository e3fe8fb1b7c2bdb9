-- After each measured run: undoes its writes (and clears an error) inside the block.
ROLLBACK TO SAVEPOINT pgadvisor_run
