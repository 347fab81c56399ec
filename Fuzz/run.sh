#!/usr/bin/env bash
# Builds the libFuzzer targets (-sanitize=fuzzer,address) and runs each for a bounded time.
#
#   Fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]     # default 60 s, every target
#
# Seeds come from real files at run time: the head of ../shared's demo Exchange export
# (when present; it is never copied into the repo), a generated OfficeActivity log, the
# golden sessions files, time strings, and model files trained on them. The corpus grows
# in Fuzz/.corpus (ignored by git). A crash stops the run with libFuzzer's report and
# leaves the input in Fuzz/.artifacts/: copy it to Tests/Regressions/<target>/ so that
# the test suite replays it for good.
set -euo pipefail
FUZZ="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$FUZZ")"
SECONDS_PER_TARGET="${1:-60}"
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(FuzzEvents FuzzCSV FuzzParameters FuzzSessions FuzzTime FuzzModel)

swift build --package-path "$FUZZ" -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library 2>&1 | grep -Ev "^\[|^Build|Compiling|Write|Emitting|Linking|Planning" || true
BIN="$(swift build --package-path "$FUZZ" -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library --show-bin-path)"
(cd "$ROOT" && swift build -c release --product seqhunt >/dev/null)
SEQHUNT="$ROOT/.build/release/seqhunt"

SEEDS="$FUZZ/.seeds"
if [ ! -d "$SEEDS" ]; then
    mkdir -p "$SEEDS"/{FuzzEvents,FuzzParameters,FuzzSessions,FuzzTime,FuzzModel}
    work="$(mktemp -d)"
    "$SEQHUNT" demo --sessions 40 --seed 3 --log-only --out "$work" --quiet
    head -c 6000 "$work/OfficeActivity.csv" > "$SEEDS/FuzzEvents/generated.csv"
    demo="$ROOT/../shared/data/demo_exchange_data.csv"
    if [ -f "$demo" ]; then head -c 8000 "$demo" > "$SEEDS/FuzzEvents/demo.csv"; fi
    python3 - "$work/OfficeActivity.csv" "$SEEDS/FuzzParameters" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
for i, row in enumerate(r for r in rows if r.get("Parameters"))  :
    if i >= 8: break
    open(f"{sys.argv[2]}/params-{i}.json", "w", encoding="utf-8").write(row["Parameters"])
PY
    printf '[{"Name":"Identity","Value":"a"},{"Name":"Force","Value":"True"}]' > "$SEEDS/FuzzParameters/array.json"
    printf '{"bucketName":"logs","key":"a/b"}' > "$SEEDS/FuzzParameters/object.json"
    printf '"[{\\"Name\\":\\"Identity\\",\\"Value\\":\\"x\\"}]"' > "$SEEDS/FuzzParameters/string.json"
    head -n 5 "$ROOT/Tests/Golden/demo.sessions.jsonl" > "$SEEDS/FuzzSessions/demo.jsonl"
    head -n 5 "$ROOT/Tests/Golden/generated.sessions.jsonl" > "$SEEDS/FuzzSessions/generated.jsonl"
    # The same read through the other doors: gzip, zstd and JSON documents of records.
    gzip -c "$SEEDS/FuzzSessions/demo.jsonl" > "$SEEDS/FuzzSessions/demo.jsonl.gz"
    if command -v zstd >/dev/null; then zstd -q -c "$SEEDS/FuzzSessions/demo.jsonl" > "$SEEDS/FuzzSessions/demo.jsonl.zst"; fi
    { printf '['; paste -sd, "$SEEDS/FuzzSessions/demo.jsonl"; printf ']'; } > "$SEEDS/FuzzSessions/array.json"
    { printf '{"Records": [\n'; paste -sd, "$SEEDS/FuzzSessions/demo.jsonl"; printf ']}\n'; } > "$SEEDS/FuzzSessions/records.json"
    "$SEQHUNT" sessionize "$work/OfficeActivity.csv" --out "$work/s.csv" --quiet
    head -c 4000 "$work/s.csv" > "$SEEDS/FuzzSessions/sessions.csv"
    i=0
    for t in 2020-04-18T04:50:30Z "2020-04-18 04:50:30" 2020-04-18T04:50:30.1234567+02:00 9999-12-31T23:59:59Z \
             1969-07-20T20:17:40Z 2020-02-29T00:00:00 0001-01-01T00:00:00Z "21/04/2025, 09:45:54.000" \
             "4/18/2020, 4:50:30.000 AM" 1587185430123 1587185430.5 "%d/%m/%Y, %H:%M:%S.%f
21/04/2025, 09:45:54.000"; do
        printf '%s' "$t" > "$SEEDS/FuzzTime/t$i"; i=$((i + 1))
    done
    for type in cmds params values; do
        head -n 30 "$ROOT/Tests/Golden/demo.sessions.jsonl" > "$work/m.jsonl"
        "$SEQHUNT" train "$work/m.jsonl" --type "$type" --model-out "$SEEDS/FuzzModel/$type.seqhunt" --quiet
    done
    rm -rf "$work"
fi
# The CSV scanner's seeds: the event logs' heads, and the corners of RFC 4180 (added to a
# seed directory made before the FuzzCSV target existed, too).
if [ ! -d "$SEEDS/FuzzCSV" ]; then
    mkdir -p "$SEEDS/FuzzCSV"
    cp "$SEEDS"/FuzzEvents/* "$SEEDS/FuzzCSV/" 2>/dev/null || true
    printf 'a,"b\n""c""",d\r\n\n"",x\r\n' > "$SEEDS/FuzzCSV/corners.csv"
    printf '\xef\xbb\xbfa,b\n"unbalanced,\n1,2\n' > "$SEEDS/FuzzCSV/unbalanced.csv"
    printf 'a,b\nx"y,z\n"p"q,r\n' > "$SEEDS/FuzzCSV/misplaced.csv"
fi

# Let libFuzzer and AddressSanitizer report crashes, not Swift's backtracer.
export SWIFT_BACKTRACE=enable=no
status=0
for target in "${TARGETS[@]}"; do
    corpus="$FUZZ/.corpus/$target"
    artifacts="$FUZZ/.artifacts/$target/"
    mkdir -p "$corpus" "$artifacts"
    echo "fuzz: $target for ${SECONDS_PER_TARGET}s"
    if ! "$BIN/$target" -max_total_time="$SECONDS_PER_TARGET" -max_len=16384 -timeout=10 -rss_limit_mb=4096 \
            -print_final_stats=1 -artifact_prefix="$artifacts" "$corpus" "$SEEDS/$target" 2> "$FUZZ/.artifacts/$target.log"; then
        echo "fuzz: $target FAILED; see $FUZZ/.artifacts/$target.log and the input in $artifacts" >&2
        tail -40 "$FUZZ/.artifacts/$target.log" >&2
        status=1
    else
        grep -E "stat::number_of_executed_units|stat::new_units_added|cov:" "$FUZZ/.artifacts/$target.log" | tail -3
    fi
done
exit $status
