// The bench_results table (migration 0031): one row per benchmark run.
#include "collector/bench_store.hpp"

namespace pgadvisor::collector {

int64_t save_bench(Store& store, const StoredBench& b) {
  auto tx = store.begin();
  store.statement("bench/insert_result")
      .bind("created_at", b.created_at)
      .bind("shadow", b.shadow)
      .bind("advice", b.advice)
      .bind("result", b.result)
      .bind("verdicts", b.verdicts)
      .run();
  auto id = store.statement("bench/last_id");
  id.step();
  int64_t value = id.get_int64("id");
  tx.commit();
  return value;
}

}  // namespace pgadvisor::collector
