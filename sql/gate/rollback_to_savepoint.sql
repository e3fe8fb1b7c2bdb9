-- After each run of a guarded query: undoes its writes (and clears an error) inside the transaction.
ROLLBACK TO SAVEPOINT pgadvisor_gate_run
