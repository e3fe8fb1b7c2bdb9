-- Before each run of a guarded query: its writes are undone by gate/rollback_to_savepoint, so every run sees the
-- same data.
SAVEPOINT pgadvisor_gate_run
