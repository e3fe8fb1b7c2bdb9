-- HypoPG's estimate of a hypothetical index's size in bytes. $1: its oid.
SELECT hypopg_relation_size($1::oid)
