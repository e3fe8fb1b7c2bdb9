-- Prefix of the statement prepared for a generic plan: the workload statement follows it.
PREPARE pgadvisor_whatif AS
