# The two commands of the README: `make demo` and `make test`. Both install what they need first.
SHELL := /bin/bash
JOBS  ?= $(shell nproc)
GEN   := $(shell command -v ninja >/dev/null 2>&1 && echo "-G Ninja")

# make test: warnings as errors, ASan+UBSan, the project rules (scripts/lint.sh), the whole suite (unit and live),
# and clang-tidy over every module (scripts/lint.sh --tidy) beside ctest, at a lower priority: the live tests leave
# the CPU half idle while they wait on their servers. clang-tidy checks only the files whose input changed since they
# were last found clean (scripts/tidy.py); its report is printed after ctest's results, and either failing fails.
TEST_BUILD := build/test
# make demo and `make build`: an optimised build.
REL_BUILD  := build/release

.PHONY: all build test demo bootstrap clean lint tidy format

all: build

bootstrap:
	@bash scripts/bootstrap.sh

build: bootstrap
	@cmake -S . -B $(REL_BUILD) $(GEN) -DCMAKE_BUILD_TYPE=Release -DPGADVISOR_BUILD_TESTS=OFF >/dev/null
	@cmake --build $(REL_BUILD) -j $(JOBS)

test: bootstrap
	@cmake -S . -B $(TEST_BUILD) $(GEN) -DCMAKE_BUILD_TYPE=Debug -DPGADVISOR_WERROR=ON -DPGADVISOR_SANITIZE=ON >/dev/null
	@cmake --build $(TEST_BUILD) -j $(JOBS)
	@bash scripts/lint.sh
	@PGADVISOR_TIDY_NICE=10 bash scripts/lint.sh --tidy $(TEST_BUILD) >$(TEST_BUILD)/tidy.log 2>&1 & tidy=$$!; \
	  (cd $(TEST_BUILD) && ctest --output-on-failure -j $(JOBS)); tests=$$?; \
	  wait $$tidy; lint=$$?; cat $(TEST_BUILD)/tidy.log; exit $$(( tests || lint ))

demo: build
	@bash scripts/demo.sh $(REL_BUILD)/cli/pgadvisor

lint:
	@bash scripts/lint.sh

# clang-tidy over every module (after make test's build), recording the clean files' keys in
# scripts/tidy_clean.txt: commit it with your change, and a fresh CI machine checks only what changed since.
tidy:
	@bash scripts/lint.sh --tidy $(TEST_BUILD) --record

format:
	@git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

clean:
	rm -rf build
