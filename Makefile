# cyberins — the two commands (make run, make test) and friends.
# Every target installs what is missing first (scripts/install-deps.sh).
BUILD   ?= build
JOBS    ?= $(shell nproc)
DB      ?= sqlite:var/cyberins.db
LISTEN  ?= 127.0.0.1:8080

.PHONY: all deps build run test bench format clean

all: build

deps:
	@scripts/install-deps.sh

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCY_MPI=ON

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

# make run: build, create var/cyberins.db with schema, reference and demo
# data, and serve on http://127.0.0.1:8080
run: build
	$(BUILD)/cyberins demo --db $(DB)
	@echo "open http://$(LISTEN)/  (Ctrl-C stops)"
	$(BUILD)/cyberins serve --db $(DB) --listen $(LISTEN)

# make test: every test through ctest — unit, e2e on SQLite and PostgreSQL,
# the browser test, and unit + e2e again under ASan+UBSan
test: build
	cd $(BUILD) && ctest --output-on-failure -j 2 --timeout 900

bench: build
	bench/http.sh $(BUILD)
	bench/sim.sh $(BUILD)
	bench/quote.sh $(BUILD)

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD)
