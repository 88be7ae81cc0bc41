#!/usr/bin/env bash
# report-pipes benchmark: prints one table row per scenario, each next to a baseline measured in the same run.
#   1 pass-through  BENCH_ROWS rows (default 1,000,000 = 40 pages) as CSV to files   vs curl fetching the same pages
#   2 transform     the same rows as JSON Lines                                      vs Python (csv + json) on curl's pages
#   3 memory        BENCH_BIG_ROWS rows (default 5,000,000) under -Xmx256m           vs scenario 1's peak RSS
#   4 fan-out       BENCH_ORGS x BENCH_KINDS jobs (default 200 x 10), readiness 2 s   vs one such job alone (critical path)
# BENCH_SCENARIOS="1 2 3 4" picks scenarios; BENCH_PARALLEL sets the fan-out's parallel-jobs (default: all its jobs).
# Figures go to target/bench/; nothing is asserted.
set -euo pipefail
cd "$(dirname "$0")/.."

ROWS=${BENCH_ROWS:-1000000}
BIG_ROWS=${BENCH_BIG_ROWS:-5000000}
ORGS=${BENCH_ORGS:-200}
KINDS=${BENCH_KINDS:-10}
SCENARIOS=${BENCH_SCENARIOS:-1 2 3 4}
OUT=${BENCH_OUT:-target/bench}
rm -rf "$OUT"
mkdir -p "$OUT"

. bench/classpath.sh
now() { date +%s.%N; }

# The application's JVM options, as ./mvnw camel:run gets them (.mvn/jvm.config: a run-once's, docs/performance.md)
APP_JVM_OPTS=$(tr -s '\r\n' '  ' < .mvn/jvm.config)

# --- the sandbox, as its own process ---------------------------------------------------------------
SANDBOX_PIDS=()
cleanup() { for pid in "${SANDBOX_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT
start_sandbox() { # name port args...
  local name=$1 port=$2; shift 2
  "$JAVA" -cp "$CP" io.reportpipes.sandbox.SandboxMain --port "$port" "$@" > "$OUT/sandbox-$name.log" 2>&1 &
  SANDBOX_PIDS+=($!)
  until grep -q "sandbox listening" "$OUT/sandbox-$name.log"; do sleep 0.2; done
}
stop_sandbox() { # name: stops the newest sandbox, which prints its call counts to its log; its CPU seconds to name.cpu
  awk -v tck="$(getconf CLK_TCK)" '{printf "%.1f\n", ($14 + $15) / tck}' "/proc/${SANDBOX_PIDS[-1]}/stat" > "$OUT/sandbox-$1.cpu"
  kill "${SANDBOX_PIDS[-1]}"; wait "${SANDBOX_PIDS[-1]}" 2>/dev/null || true; unset 'SANDBOX_PIDS[-1]'
}

# --- the application, as the command line runs it -----------------------------------------------------
# run_app name heap settings...: runs one run-once; leaves $OUT/name.log, name.rss (peak KB, user s, sys s), name.gc.
# The first status call goes out after 1 ms: the data sandbox is ready at once (--ready-after 0s) and curl asks
# at once too (the fan-out scenario sets its own 2 s, as a real readiness delay would want).
run_app() {
  local name=$1 heap=$2; shift 2
  local args=(-Dsandbox.enabled=false -Dcrewmojo.clients= -Dreport-pipes.work-dir="$OUT/$name/work"
    -Dstate.file.dir="$OUT/$name/state" -Dsink.files.uri="file:$OUT/$name/out?tempPrefix=.inprogress-&fileExist=Override"
    -Dserviceminder.poll.first-interval=1ms -Dserviceminder.poll.max-interval=1s)
  for setting in "$@"; do args+=("-D$setting"); done
  # BENCH_JAVA_OPTS: extra JVM options for the application, e.g. -XX:StartFlightRecording=filename=app.jfr
  # shellcheck disable=SC2086
  /usr/bin/time -f "%M %U %S" -o "$OUT/$name.rss" "$JAVA" -Xmx"$heap" -Xlog:gc:file="$OUT/$name.gc" $APP_JVM_OPTS \
    ${BENCH_JAVA_OPTS:-} -cp "$CP" \
    "${args[@]}" io.reportpipes.Application > "$OUT/$name.log" 2>&1
}
# seconds from the first job's start to the run summary, from the log's timestamps (without the JVM's start)
run_seconds() {
  awk '/Running [0-9]+ job/ && !a {a=$1} /Run summary/ {b=$1}
    function s(t,  p) { split(t, p, ":"); return p[1]*3600 + p[2]*60 + p[3] }
    END { d = s(b) - s(a); if (d < 0) d += 86400; printf "%.1f", d }' "$OUT/$1.log"
}
# job seconds from the run summary (the time the jobs took, without the JVM's start)
job_seconds() { awk '/^total \(/{exit} f && NF>=6 {if ($5+0 > m) m=$5+0} /^job +pages/{f=1} END{print m}' "$OUT/$1.log"; }
delivered_bytes() { find "$OUT/$1/out" -name 'page-*' -type f -printf '%s\n' | awk '{s+=$1} END{print s+0}'; }
rss_mb() { awk '{printf "%.0f", $1/1024}' "$OUT/$1.rss"; }
cpu_s() { awk '{printf "%.1f", $2 + $3}' "$OUT/$1.rss"; }
max_heap_after_gc_mb() { grep -o '[0-9]*M->[0-9]*M' "$OUT/$1.gc" | sed 's/.*->//; s/M//' | sort -n | tail -1; }

ROWS_TABLE=()
row() { ROWS_TABLE+=("$(printf '%-26s %10s %8s %8s %10s %7s %8s  %s' "$@")"); }
rate() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b > 0) printf "%.0f", a/b; else print "-" }'; }
mbs() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b > 0) printf "%.1f", a/1048576/b; else print "-" }'; }
mb() { awk -v a="$1" 'BEGIN{ printf "%.0f", a/1048576 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b > 0) printf "%.2fx", a/b; else print "-" }'; }

want() { [[ " $SCENARIOS " == *" $1 "* ]]; }

PORT=$(free_port)
# --prepare: the measured Kind is rendered once at the sandbox's start and served as bytes, so that scenarios 1
# and 2 measure the application, not the sandbox's row generator (scenario 3's Kind is generated as it streams)
start_sandbox data "$PORT" --ready-after 0s --org bench:bench-key:7 --org big:big-key:7 \
  --rows "bench/contacts=$ROWS" --rows "big/contacts=$BIG_ROWS" --prepare bench/contacts
BASE="http://localhost:$PORT"
APP_BASE=(serviceminder.base-url=$BASE serviceminder.organisations=bench serviceminder.organisation.bench.api-key=bench-key
  serviceminder.organisation.bench.user-id=7 serviceminder.organisation.bench.kinds=contacts)

if want 1 || want 2; then
  # 1. pass-through, then curl over the same pages (their RowIds from the run's log)
  run_app passthrough 1g "${APP_BASE[@]}"
  secs=$(job_seconds passthrough); bytes=$(delivered_bytes passthrough)
  { echo 0; grep -o 'next RowId [0-9]*' "$OUT/passthrough.log" | awk '{print $3}'; } > "$OUT/rowids.txt"
  mkdir -p "$OUT/curl"
  start=$(now); page=0
  while read -r rowid; do
    page=$((page + 1))
    id=$(curl -s -H 'Content-Type: application/json' -d "{\"ApiKey\":\"bench-key\",\"Kind\":\"contacts\",\"UserId\":7,\"RowId\":$rowid}" \
      "$BASE/api/download/startdownload" | sed 's/.*"DownloadId":"\([^"]*\)".*/\1/')
    until curl -s -H 'Content-Type: application/json' -d "{\"ApiKey\":\"bench-key\",\"DownloadId\":\"$id\"}" \
      "$BASE/api/download/downloadstatus" | grep -q '"Ready":true'; do sleep 0.1; done
    curl -s -o "$OUT/curl/page-$(printf %05d $page).csv" -H 'Content-Type: application/json' \
      -d "{\"ApiKey\":\"bench-key\",\"DownloadId\":\"$id\"}" "$BASE/api/download/getdownload"
  done < "$OUT/rowids.txt"
  curl_secs=$(awk -v a="$start" -v b="$(now)" 'BEGIN{print b-a}')
  curl_bytes=$(find "$OUT/curl" -name 'page-*' -printf '%s\n' | awk '{s+=$1} END{print s}')
  want 1 && row "1 pass-through (csv)" "$ROWS" "$(mb "$bytes")" "$secs" "$(rate "$ROWS" "$secs")" "$(mbs "$bytes" "$secs")" \
    "$(rss_mb passthrough)" "$(ratio "$(mbs "$bytes" "$secs")" "$(mbs "$curl_bytes" "$curl_secs")") of curl's MB/s"
  want 1 && row "  baseline: curl" "$ROWS" "$(mb "$curl_bytes")" "$curl_secs" "$(rate "$ROWS" "$curl_secs")" \
    "$(mbs "$curl_bytes" "$curl_secs")" "-" "= the sandbox's serving rate ($page pages)"
fi

if want 2; then
  run_app jsonl 1g "${APP_BASE[@]}" transform.default=jsonl
  secs=$(job_seconds jsonl); bytes=$(delivered_bytes jsonl)
  mkdir -p "$OUT/python"
  start=$(now); python3 bench/csv_to_jsonl.py "$OUT/python" "$OUT"/curl/page-*.csv
  py_secs=$(awk -v a="$start" -v b="$(now)" 'BEGIN{print b-a}')
  row "2 transform (jsonl)" "$ROWS" "$(mb "$bytes")" "$secs" "$(rate "$ROWS" "$secs")" "$(mbs "$bytes" "$secs")" \
    "$(rss_mb jsonl)" "$(ratio "$(rate "$ROWS" "$secs")" "$(rate "$ROWS" "$py_secs")") of Python's rows/s (incl. fetching)"
  row "  baseline: python csv+json" "$ROWS" "-" "$py_secs" "$(rate "$ROWS" "$py_secs")" "-" "-" "converts curl's pages, no fetching"
fi

if want 3; then
  run_app memory 256m serviceminder.base-url=$BASE serviceminder.organisations=big serviceminder.organisation.big.api-key=big-key \
    serviceminder.organisation.big.user-id=7 serviceminder.organisation.big.kinds=contacts
  secs=$(job_seconds memory); bytes=$(delivered_bytes memory)
  small=$( [ -f "$OUT/passthrough.rss" ] && rss_mb passthrough || echo 0)
  row "3 memory (-Xmx256m)" "$BIG_ROWS" "$(mb "$bytes")" "$secs" "$(rate "$BIG_ROWS" "$secs")" "$(mbs "$bytes" "$secs")" \
    "$(rss_mb memory)" "$(ratio "$(rss_mb memory)" "$small") of scenario 1's RSS; heap after GC <= $(max_heap_after_gc_mb memory) MB"
fi
stop_sandbox data

if want 4; then
  PORT=$(free_port)
  org_args=(); app_args=(serviceminder.base-url=http://localhost:$PORT report-pipes.parallel-jobs=${BENCH_PARALLEL:-$((ORGS * KINDS))}
    serviceminder.poll.first-interval=2s serviceminder.poll.max-interval=2s)
  all_kinds=(contacts appointments deposits invoices invoicelines proposals services campaignbudgets revenueforecasts channelscampaigns)
  kinds=$(IFS=,; echo "${all_kinds[*]:0:$KINDS}")
  orgs=""
  for i in $(seq 1 "$ORGS"); do
    org_args+=(--org "o$i:key-o$i:7"); orgs="$orgs${orgs:+,}o$i"
    app_args+=("serviceminder.organisation.o$i.api-key=key-o$i" "serviceminder.organisation.o$i.user-id=7"
      "serviceminder.organisation.o$i.kinds=$kinds")
  done
  start_sandbox critical "$PORT" --ready-after 2s --default-rows 200 "${org_args[@]}"
  run_app critical-path 512m "${app_args[@]}" serviceminder.organisations=o1 serviceminder.organisation.o1.kinds=contacts
  critical=$(job_seconds critical-path)
  stop_sandbox critical
  start_sandbox fanout "$PORT" --ready-after 2s --default-rows 200 "${org_args[@]}"
  run_app fanout 1g "${app_args[@]}" serviceminder.organisations="$orgs"
  fan_secs=$(run_seconds fanout)
  jobs=$((ORGS * KINDS))
  stop_sandbox fanout
  status_calls=$(grep "sandbox calls" "$OUT/sandbox-fanout.log" | sed 's/.*downloadstatus=\([0-9]*\).*/\1/')
  queue_full=$(grep -c "queue is full" "$OUT/fanout.log" || true)
  row "4 fan-out ($ORGS x $KINDS jobs)" "$((jobs * 200))" "$(mb "$(delivered_bytes fanout)")" "$fan_secs" \
    "$(rate "$((jobs * 200))" "$fan_secs")" "-" "$(rss_mb fanout)" \
    "$(ratio "$fan_secs" "$critical") of the critical path ($critical s); queue-full $queue_full; $(awk -v a="$status_calls" -v b="$jobs" 'BEGIN{printf "%.1f", a/b}') status calls/job; CPU s: ours $(cpu_s fanout), the sandbox's $(cat "$OUT/sandbox-fanout.cpu")"
fi

echo
echo "report-pipes benchmark, $(date -u +%Y-%m-%d), $(nproc) cores, $("$JAVA" -version 2>&1 | head -1), $APP_JVM_OPTS${BENCH_JAVA_OPTS:+ $BENCH_JAVA_OPTS}"
printf '%-26s %10s %8s %8s %10s %7s %8s  %s\n' scenario rows MB seconds rows/s MB/s "RSS MB" "compared"
printf '%s\n' "${ROWS_TABLE[@]}"
echo "(seconds: from the jobs' start to the run summary, without the JVM's start; baselines: wall time)"
