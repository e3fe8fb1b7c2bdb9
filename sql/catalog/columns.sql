-- Every column of the relations of catalog/tables, with the planner's statistics from pg_stats when the
-- table has been analyzed (and the role may read them). Arrays of values are cut to $1 values of at most
-- $2 characters each: enough for selectivity estimates without shipping megabytes of text.
SELECT a.attrelid::bigint AS table_oid, a.attname AS name,
       format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null,
       s.null_frac::float8 AS null_frac, s.n_distinct::float8 AS n_distinct,
       s.correlation::float8 AS correlation, s.avg_width AS average_width,
       ARRAY(SELECT left(v, $2) FROM unnest(s.most_common_vals::text::text[]) WITH ORDINALITY AS u(v, i)
             ORDER BY i LIMIT $1) AS most_common_values,
       s.most_common_freqs[1:$1]::float8[] AS most_common_frequencies,
       ARRAY(SELECT left(v, $2) FROM unnest(s.histogram_bounds::text::text[]) WITH ORDINALITY AS u(v, i)
             ORDER BY i LIMIT $1) AS histogram_bounds,
       s.attname IS NOT NULL AS analyzed
FROM pg_attribute AS a
JOIN pg_class AS c ON c.oid = a.attrelid
JOIN pg_namespace AS n ON n.oid = c.relnamespace
LEFT JOIN pg_stats AS s
       ON s.schemaname = n.nspname AND s.tablename = c.relname AND s.attname = a.attname
      AND s.inherited = (c.relkind = 'p')
WHERE c.relkind IN ('r', 'p', 'm', 'f')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\_toast%'
  AND n.nspname NOT LIKE 'pg\_temp%'
  AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum
