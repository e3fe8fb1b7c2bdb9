-- Ends the transaction of gate/begin: everything the measured statement wrote is undone.
ROLLBACK
