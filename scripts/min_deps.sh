#!/usr/bin/env bash
# The runtime and generated clients on the OLDEST releases their pyproject admits: a venv with
# httpx, pydantic and typing-extensions at their lower bounds (read from apigen.bundled), then
# tests/runtime and tests/e2e in it (builds, calls, mypy --strict of generated code). A lower
# bound is only worth stating if this passes (docs/decisions.md §54; ~3 min; `make test` runs it).
set -euo pipefail
env=build/min-deps
py=.venv/bin/python  # the project venv (`make install`): reads the floors from apigen.bundled
floors=$("$py" -c 'from apigen.bundled import RUNTIME_DEPENDENCIES, TYPING_EXTENSIONS
for d in (*RUNTIME_DEPENDENCIES, TYPING_EXTENSIONS): print(d.replace(">=", "=="))')
[ -x "$env/bin/python" ] || "$py" -m venv "$env"
printf '%s\n' "$floors" > "$env/constraints.txt"
"$env/bin/python" -m pip install --quiet -c "$env/constraints.txt" \
  -e './runtime[redis,otel,fast]' -e '.[dev]' opentelemetry-sdk
"$env/bin/python" -m pip list 2>/dev/null | grep -iE '^(httpx|pydantic|typing.extensions) '
"$env/bin/python" -m pytest -q -p no:cacheprovider tests/runtime tests/e2e
