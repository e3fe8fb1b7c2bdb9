-- Forget the prepared statement of the last generic plan.
DEALLOCATE pgadvisor_whatif
