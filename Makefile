# apigen: `make demo` and `make test` do all set-up on a fresh machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
SHARED ?= $(abspath ../shared/specs)
STAMP := $(VENV)/.installed

.PHONY: install demo test test-fast generate lint bench clean

$(STAMP): pyproject.toml runtime/pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ./runtime -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(PY) scripts/demo.py

test: install
	APIGEN_SHARED_SPECS=$(SHARED) $(PY) -m pytest -q -p no:cacheprovider

generate: install
	$(VENV)/bin/apigen build specs/petstore.yaml -o generated/petstore --quiet
	$(VENV)/bin/apigen build $(SHARED)/github.json -o generated/github --quiet
	$(VENV)/bin/apigen build $(SHARED)/stripe.json -o generated/stripe --quiet

lint: install
	$(VENV)/bin/ruff check generator runtime tests scripts
	$(VENV)/bin/ruff format --check generator runtime tests scripts
	$(PY) -m mypy

bench: install
	APIGEN_SHARED_SPECS=$(SHARED) $(PY) scripts/bench.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
