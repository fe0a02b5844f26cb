#!/usr/bin/env bash
# Build petstore, Stripe, GitHub and every features/ spec with each Python 3.11+ found (on
# PATH as python3.11, python3.12..., or in pyenv's versions) and diff the outputs: a build must
# write the same bytes whichever interpreter runs apigen (docs/decisions.md §53). Each interpreter gets a venv under
# build/cross-python with apigen installed from this checkout (PyPI for its dependencies).
set -euo pipefail
shared=${APIGEN_SHARED_SPECS:-../shared/specs}
work=build/cross-python
mkdir -p "$work"
specs=(specs/petstore.yaml "$shared/stripe.json" "$shared/github.json")
while IFS= read -r f; do specs+=("$f"); done < <(find "$shared/features" -name '*.yaml' -o -name '*.json' | sort)
found=()
interpreter() {  # python3.MINOR that runs: on PATH, else a pyenv install (shims may refuse)
  local minor=$1 py
  for py in "$(command -v "python3.$minor" || true)" "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3."$minor".*/bin/python3."$minor"; do
    [ -n "$py" ] && [ -x "$py" ] && "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { echo "$py"; return; }
  done
}
for minor in 11 12 13 14; do
  py=$(interpreter "$minor" || true)
  [ -n "$py" ] || continue
  env="$work/venv-3.$minor"
  [ -x "$env/bin/apigen" ] || { "$py" -m venv "$env" && "$env/bin/pip" install -q .; }
  "$env/bin/pip" install -q --force-reinstall --no-deps .
  for spec in "${specs[@]}"; do
    name=$(echo "${spec#"$shared"/}" | tr './' '__')
    rm -rf "$work/out-3.$minor/$name"
    mkdir -p "$work/out-3.$minor/$name"
    # a failed build is compared too: its messages must match
    "$env/bin/apigen" build "$spec" -o "$work/out-3.$minor/$name/out" --quiet --no-cache \
      > "$work/out-3.$minor/$name/log.txt" 2>&1 || echo "exit $?" >> "$work/out-3.$minor/$name/log.txt"
  done
  found+=("3.$minor")
done
[ "${#found[@]}" -ge 2 ] || { echo "cross-python: fewer than two Pythons >= 3.11 on PATH (${found[*]:-none})"; exit 1; }
status=0
for v in "${found[@]:1}"; do
  if diff -r "$work/out-${found[0]}" "$work/out-$v" > "$work/diff-$v.txt"; then
    echo "cross-python: ${#specs[@]} builds with Python $v == Python ${found[0]}"
  else
    echo "cross-python: Python $v differs from ${found[0]}: $work/diff-$v.txt"; status=1
  fi
done
exit $status
