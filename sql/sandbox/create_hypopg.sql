-- Hypothetical indexes for the advisor's what-if costs.
CREATE EXTENSION IF NOT EXISTS hypopg
