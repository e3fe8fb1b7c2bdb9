-- Views and materialized views: the advisor weighs materialized views, and a view's name in a statement
-- is not a table. Materialized views also appear in catalog/tables (they can be indexed). Views that belong to
-- an extension (pg_stat_statements, hypopg…) are not the application's and are left out.
SELECT n.nspname AS schema, c.relname AS name, c.relkind = 'm' AS materialized,
       c.relispopulated AS populated, pg_relation_size(c.oid) AS size_bytes,
       pg_get_viewdef(c.oid, true) AS definition
FROM pg_class AS c
JOIN pg_namespace AS n ON n.oid = c.relnamespace
WHERE c.relkind IN ('v', 'm')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND NOT EXISTS (SELECT 1 FROM pg_depend AS dep
                  WHERE dep.classid = 'pg_class'::regclass AND dep.objid = c.oid AND dep.deptype = 'e')
ORDER BY n.nspname, c.relname
