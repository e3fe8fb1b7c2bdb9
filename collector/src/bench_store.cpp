// The bench_results table (migration 0031): one row per benchmark run.
#include "collector/bench_store.hpp"

#include "sql/embedded.hpp"

namespace pgadvisor::collector {

int64_t save_bench(Store& store, const StoredBench& b) {
  auto tx = store.begin();
  store.prepare(sql::text("store/bench/insert_result"))
      .bind(1, b.created_at)
      .bind(2, b.shadow)
      .bind(3, b.advice)
      .bind(4, b.result)
      .bind(5, b.verdicts)
      .run();
  auto id = store.prepare(sql::text("store/bench/last_id"));
  id.step();
  int64_t value = id.get_int64(0);
  tx.commit();
  return value;
}

}  // namespace pgadvisor::collector
