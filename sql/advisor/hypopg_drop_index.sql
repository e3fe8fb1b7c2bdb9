-- Forget one hypothetical index. $1: its oid.
SELECT hypopg_drop_index($1::oid)
