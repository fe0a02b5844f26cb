#!/usr/bin/env bash
# `make prism-sweep`: `apigen contract` through Prism (the independent mock, `--errors`) for each
# spec, then the requests Prism itself refused, read from its log ("Violation: request ...").
#
#   scripts/prism_sweep.sh [SPEC...]    (default: every spec under $APIGEN_SHARED_SPECS/features)
#
# Environment: APIGEN_SHARED_SPECS, SWEEP_EXAMPLES (drawn cases per operation, default 10),
# SWEEP_SEED (default 5), SWEEP_ARGS (more `apigen contract` options, e.g. `--operation 'query_*'`),
# SWEEP_OUT (default build/prism-sweep). Writes, per spec, the client, Prism's log, the contract
# report (JSON and text), and one summary line to SWEEP_OUT/summary.txt. Prism's own defects
# (docs/prism.md) show up as "sandbox" failures and as violations; a client failure exits 1.
# Prism binds 127.0.0.1 only and is stopped by process group after each spec.
set -u
cd "$(dirname "$0")/.."
shared=${APIGEN_SHARED_SPECS:-$(cd .. && pwd)/shared/specs}
out=${SWEEP_OUT:-build/prism-sweep}
mkdir -p "$out"
summary=$out/summary.txt
: >"$summary"
if [ $# -eq 0 ]; then
    mapfile -t specs < <(find "$shared/features" -name '*.yaml' -o -name '*.json' | sort)
else
    specs=("$@")
fi
status=0
for spec in "${specs[@]}"; do
    name=$(basename "$(dirname "$spec")")_$(basename "$spec" | tr '.-' '__')
    client=$out/$name
    rm -rf "$client"
    if ! .venv/bin/apigen build "$spec" -o "$client" --quiet 2>"$out/$name.build.txt"; then
        echo "build failed  $spec" >>"$summary"
        continue
    fi
    port=$(.venv/bin/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    log=$out/$name.prism.log
    setsid node_modules/.bin/prism mock "$spec" -h 127.0.0.1 -p "$port" --errors --seed apigen \
        >"$log" 2>&1 </dev/null &
    pid=$!
    up=0
    for _ in $(seq 1 120); do  # bounded: 60 s
        if grep -qs "Prism is listening" "$log"; then up=1; break; fi
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.5
    done
    if [ "$up" = 0 ]; then
        echo "no prism      $spec (see $log)" >>"$summary"
        kill -- "-$pid" 2>/dev/null
        continue
    fi
    # shellcheck disable=SC2086  # SWEEP_ARGS is a list of options
    timeout 900 .venv/bin/apigen contract "$client" --spec "$spec" \
        --base-url "http://127.0.0.1:$port" --mock --max-examples "${SWEEP_EXAMPLES:-10}" \
        --seed "${SWEEP_SEED:-5}" --time-budget 240 --report "$out/$name.json" -v \
        ${SWEEP_ARGS:-} >"$out/$name.txt" 2>&1
    rc=$?
    kill -- "-$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    [ "$rc" = 0 ] || status=1
    violations=$(grep -c "Violation: request" "$log")
    crashed=$(grep -qE "^(TypeError|URIError|Error):" "$log" && echo "; prism crashed" || true)
    echo "rc $rc  $spec  prism refused $violations request(s)$crashed; $(tail -1 "$out/$name.txt")" \
        >>"$summary"
done
cat "$summary"
exit $status
