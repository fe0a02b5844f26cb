# apigen: `make demo` and `make test` do all set-up on a fresh machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
SHARED ?= $(abspath ../shared/specs)
STAMP := $(VENV)/.installed

.PHONY: install demo test test-fast generate lint bench corpus clean

$(STAMP): pyproject.toml runtime/pyproject.toml package.json package-lock.json
	test -x $(VENV)/bin/pip || { rm -rf $(VENV); $(PYTHON) -m venv $(VENV); }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ./runtime -e '.[dev]'
	$(PY) -m pip install --quiet -e './runtime[redis,otel,fast]' opentelemetry-sdk
	command -v redis-server >/dev/null || (apt-get update -qq && apt-get install -y -qq redis-server) \
		|| echo "could not install redis-server: the Redis tests will fail in CI" >&2
	# Prism (tests/prism/), pinned in package-lock.json; npm ci rewrites node_modules/.package-lock.json.
	command -v npm >/dev/null || { echo "npm (node >= 18.20) is required for the Prism tests" >&2; exit 1; }
	{ test node_modules/.package-lock.json -nt package-lock.json \
		&& test node_modules/.package-lock.json -nt package.json; } || npm ci --no-audit --no-fund
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(PY) scripts/demo.py

test: install
	APIGEN_SHARED_SPECS=$(SHARED) $(PY) -m pytest -q -p no:cacheprovider
	APIGEN_SHARED_SPECS=$(SHARED) scripts/min_deps.sh

# Every stage's unit tests, without the slow ones (real-spec builds, contract/Prism runs, type
# checkers over generated code, corpus slices: tests/conftest.py marks them): about a minute.
test-fast: install
	APIGEN_SHARED_SPECS=$(SHARED) $(PY) -m pytest -q -p no:cacheprovider -m "not slow" --durations=5

# The three committed clients, as apigen.toml configures them (docs/configuration.md).
generate: install
	APIGEN_SHARED_SPECS=$(SHARED) $(VENV)/bin/apigen generate --config apigen.toml --quiet

lint: install
	$(VENV)/bin/ruff check generator runtime tests scripts
	$(VENV)/bin/ruff format --check generator runtime tests scripts
	$(PY) -m mypy
	node_modules/.bin/pyright --pythonpath $(PY)

# pyright strict (pinned in package.json; mypy --strict is `make lint`) on the runtime and the
# committed clients: what users running pyright see. CI runs the same on fresh builds
# (tests/test_lint.py, tests/render/test_quality.py). CPU time on this 2-core machine:
# runtime ~11 s, petstore ~12 s, Stripe ~36 s, GitHub ~57 s.
.PHONY: typecheck
typecheck: install
	node_modules/.bin/pyright --pythonpath $(PY)
	node_modules/.bin/pyright --pythonpath $(PY) generated/petstore generated/stripe generated/github

# The bench venv: apigen (editable, this checkout) and the peers/floors issue #10 compares it with,
# pinned in scripts/bench-requirements.txt. Only `make bench` builds it (never `make test`/CI).
BENCH_VENV := .venv-bench
BENCH_STAMP := $(BENCH_VENV)/.installed

$(BENCH_STAMP): scripts/bench-requirements.txt pyproject.toml runtime/pyproject.toml
	test -x $(BENCH_VENV)/bin/pip || { rm -rf $(BENCH_VENV); $(PYTHON) -m venv $(BENCH_VENV); }
	$(BENCH_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(BENCH_VENV)/bin/python -m pip install --quiet -r scripts/bench-requirements.txt
	touch $(BENCH_STAMP)

# Every issue #10 ratio against its target in one run (PASS/FAIL table); rewrites
# docs/benchmarks.md and docs/benchmarks-generation.png. Takes ~20 min on 2 cores.
bench: $(BENCH_STAMP)
	APIGEN_SHARED_SPECS=$(SHARED) $(BENCH_VENV)/bin/python scripts/bench.py

corpus: install
	APIGEN_SHARED_SPECS=$(SHARED) $(PY) scripts/corpus.py

# The fast validator against openapi-spec-validator (the oracle) on every spec under
# $(SHARED), github and stripe included (~4 min CPU; CI runs a daily-rotating slice of it).
.PHONY: validate-oracle
validate-oracle: install
	APIGEN_SHARED_SPECS=$(SHARED) APIGEN_ORACLE=all $(PY) -m pytest -q -p no:cacheprovider \
		tests/spec/test_validator_oracle.py

clean:
	rm -rf $(VENV) $(BENCH_VENV) .mypy_cache .ruff_cache .pytest_cache

.PHONY: overhead
overhead: install
	$(PY) scripts/overhead.py

# async at concurrency 50, on httpx and on httpx-aiohttp's transport (the [fast] extra)
.PHONY: overhead-async
overhead-async: install
	$(PY) scripts/overhead_async.py

# Broken variants of the feature specs and petstore (scripts/fuzz_specs.py): none may crash
# `apigen build` or the sandbox (CI runs 25 cases: tests/spec/test_fuzz_specs.py).
.PHONY: fuzz-specs
fuzz-specs: install
	APIGEN_SHARED_SPECS=$(SHARED) $(PY) scripts/fuzz_specs.py --cases 400 --import-check --keep /tmp/apigen-fuzz-specs

# Every README block of the clients of the corpus and features/ specs, run against each API's
# sandbox (scripts/readme_examples.py; ~10 min; CI runs 9: tests/e2e/test_readme_corpus.py).
.PHONY: readme-examples
readme-examples: install
	APIGEN_SHARED_SPECS=$(SHARED) $(PY) scripts/readme_examples.py --out build/readme-examples.json

# `apigen contract` through Prism (--errors) on every features/ spec, with the requests Prism
# refused (scripts/prism_sweep.sh; ~15 min; summary in build/prism-sweep/summary.txt).
.PHONY: prism-sweep
prism-sweep: install
	APIGEN_SHARED_SPECS=$(SHARED) scripts/prism_sweep.sh

# tests/runtime and tests/e2e on the oldest httpx, pydantic and typing-extensions the generated
# clients admit (scripts/min_deps.sh: a venv under build/min-deps, ~3 min; `make test` runs it).
.PHONY: min-deps
min-deps: install
	APIGEN_SHARED_SPECS=$(SHARED) scripts/min_deps.sh

# The same spec gives the same bytes under every Python >= 3.11 on PATH (scripts/cross_python.sh;
# a venv per interpreter under build/cross-python, ~5 min).
.PHONY: cross-python
cross-python: install
	APIGEN_SHARED_SPECS=$(SHARED) scripts/cross_python.sh

# Every operation of petstore, Stripe and GitHub through the generated sync and async clients
# (apigen contract; writes docs/contract.md), then the full model fuzzing of tests/contract.
.PHONY: contract
contract: install
	APIGEN_SHARED_SPECS=$(SHARED) $(PY) scripts/contract.py
	APIGEN_SHARED_SPECS=$(SHARED) APIGEN_CONTRACT_FULL=1 $(PY) -m pytest -q -p no:cacheprovider tests/contract/test_model_fuzz.py
