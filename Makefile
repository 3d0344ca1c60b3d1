# cyberins — the two commands (make run, make test) and friends.
# Every target installs what is missing first (scripts/install-deps.sh).
BUILD   ?= build
JOBS    ?= $(shell nproc)
DB      ?= sqlite:var/cyberins.db
LISTEN  ?= 127.0.0.1:8080

FUZZ_BUILD ?= build-fuzz
FUZZ_TIME  ?= 60
FUZZ       ?= $(basename $(notdir $(wildcard tests/fuzz/*.c)))

.PHONY: all deps build run test bench fuzz format clean

all: build

deps:
	@scripts/install-deps.sh

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCY_MPI=ON -DCY_FUZZ_SMOKE=ON

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

# make run: build, create var/cyberins.db with schema, reference and demo
# data, and serve on http://127.0.0.1:8080
run: build
	$(BUILD)/cyberins demo --db $(DB)
	@echo "open http://$(LISTEN)/  (Ctrl-C stops)"
	$(BUILD)/cyberins serve --db $(DB) --listen $(LISTEN)

# make test: every test through ctest — unit, e2e on SQLite and PostgreSQL,
# the browser test, unit + e2e again under ASan+UBSan, and a few seconds of
# each fuzz harness (fuzz/NAME, built with clang in $(BUILD)/fuzz)
test: build
	cd $(BUILD) && ctest --output-on-failure -j 2 --timeout 900

bench: build
	bench/http.sh $(BUILD)
	bench/sim.sh $(BUILD)
	bench/quote.sh $(BUILD)

# make fuzz: the libFuzzer harnesses of tests/fuzz (clang, ASan+UBSan) in
# their own build folder, each run FUZZ_TIME seconds over its seed corpus;
# make fuzz FUZZ=uscc FUZZ_TIME=600 runs one. What they learn stays in
# $(FUZZ_BUILD)/work/NAME/corpus, crashes in $(FUZZ_BUILD)/work/NAME/artifacts.
$(FUZZ_BUILD)/CMakeCache.txt:
	cmake -S . -B $(FUZZ_BUILD) -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCY_FUZZ=ON

fuzz: deps $(FUZZ_BUILD)/CMakeCache.txt
	cmake --build $(FUZZ_BUILD) -j $(JOBS)
	@for n in $(FUZZ); do \
	    echo "== fuzz/$$n: $(FUZZ_TIME) s"; \
	    tests/fuzz/run.sh $(FUZZ_BUILD)/fuzz_$$n $$n $(FUZZ_TIME) $(FUZZ_BUILD)/work || exit 1; \
	done

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD)
