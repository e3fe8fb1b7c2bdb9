# The two commands of the README: `make demo` and `make test`. Both install what they need first.
SHELL := /bin/bash
JOBS  ?= $(shell nproc)
GEN   := $(shell command -v ninja >/dev/null 2>&1 && echo "-G Ninja")

# make test: warnings as errors, ASan+UBSan, the whole suite (unit and live), and scripts/lint.sh --tidy (the
# project rules and clang-tidy) beside ctest: the live tests leave the CPU half idle while they wait on their
# servers, and clang-tidy alone takes minutes. Its findings are printed after ctest's results.
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
	@cd $(TEST_BUILD) && ctest --output-on-failure -j $(JOBS)

demo: build
	@bash scripts/demo.sh $(REL_BUILD)/cli/pgadvisor

lint:
	@bash scripts/lint.sh

# clang-tidy over every module (after make test's build). Not part of make test yet: on 2 cores it takes over
# 20 minutes, and it still reports findings outside advisor/.
tidy:
	@bash scripts/lint.sh --tidy $(TEST_BUILD)

format:
	@git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

clean:
	rm -rf build
