-- The settings that change plans and times, recorded with a gate baseline so that `gate check` can say when the
-- server it compares against is set up differently: memory and cost settings, JIT, parallelism, and every planner
-- method switched off (enable_* = off). current_setting() shows each with its unit ("4MB").
SELECT name, current_setting(name) AS value
FROM pg_settings
WHERE name IN ('work_mem', 'shared_buffers', 'effective_cache_size', 'random_page_cost', 'seq_page_cost',
               'cpu_tuple_cost', 'cpu_index_tuple_cost', 'cpu_operator_cost', 'effective_io_concurrency',
               'default_statistics_target', 'jit', 'max_parallel_workers_per_gather', 'max_parallel_workers',
               'plan_cache_mode', 'from_collapse_limit', 'join_collapse_limit', 'geqo', 'geqo_threshold',
               'hash_mem_multiplier', 'huge_pages')
   OR (name LIKE 'enable\_%' AND setting = 'off')
ORDER BY name
