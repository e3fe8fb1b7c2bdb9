-- Planner statistics of the whole shadow once its rows are in.
ANALYZE
