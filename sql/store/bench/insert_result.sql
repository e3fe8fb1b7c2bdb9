-- One benchmark with the advice it proves (migration 0031_bench_results).
INSERT INTO bench_results (created_at, shadow, advice, result, verdicts) VALUES (:created_at, :shadow, :advice, :result, :verdicts)
