#!/usr/bin/env bash
# report-pipes fault soak, full size: the default job set of application.properties against the embedded sandbox,
# once fault-free and once with SOAK_FAIL_RATE of the calls failing (default 0.10: 5xx JSON or HTML, 429, slow
# answers past the read timeout, cut or empty bodies, queue full, "try again", invalidated tokens, expired jobIds)
# and SOAK_RESET_RATE of the connections reset (default 0.02), seeded by SOAK_SEED. Prints per run: jobs done and
# failed, requests, faults served; then whether every job's rows are the same, the request ratio (target <= 1.5),
# the most retries of one call against retry.max-redeliveries, and the faults the log does not name.
# SOAK_ROWS sets the rows of every serviceminder Kind (default 150,000: 6 pages each, a few hundred calls). Nothing
# is asserted; the test suite runs a reduced form (SoakIT) that is.
set -euo pipefail
cd "$(dirname "$0")/.."

FAIL_RATE=${SOAK_FAIL_RATE:-0.10}
RESET_RATE=${SOAK_RESET_RATE:-0.02}
SEED=${SOAK_SEED:-42}
OUT=${SOAK_OUT:-target/soak}
MAX_REDELIVERIES=6
rm -rf "$OUT"
mkdir -p "$OUT"
. bench/classpath.sh
port=$(free_port)

# run name fail-rate reset-rate: one run-once of the default job set; leaves $OUT/name.log and $OUT/name/out
soak_run() {
  local name=$1
  local args=(-Dsandbox.port="$port" -Dsandbox.seed="$SEED" -Dsandbox.chaos.fail-rate="$2"
    -Dsandbox.chaos.reset-rate="$3" -Dsandbox.chaos.slow=6s -Dcamel.component.http.so-timeout=5000
    -Dretry.max-redeliveries=$MAX_REDELIVERIES -Dretry.delay-ms=200 -Dretry.max-delay-ms=2000
    -Dserviceminder.queue-full.delay-ms=1000 -Dcrewmojo.poll.max-requests=5
    -Dreport-pipes.work-dir="$OUT/$name/work" -Dstate.file.dir="$OUT/$name/state"
    -Dsink.files.uri="file:$OUT/$name/out?tempPrefix=.inprogress-&fileExist=Override")
  args+=(-Dsandbox.serviceminder.rows="${SOAK_ROWS:-150000}" -Dserviceminder.poll.first-interval=200ms
    -Dserviceminder.poll.max-interval=1s)
  local start; start=$(date +%s.%N)
  "$JAVA" -cp "$CP" "${args[@]}" io.reportpipes.Application > "$OUT/$name.log" 2>&1 || true
  awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}' > "$OUT/$name.secs"
}
# per job: a hash of its pages' bytes in page order (the run ids differ between runs)
fingerprints() {
  (cd "$OUT/$1/out" && for job in */*/*; do
    printf '%s %s\n' "$job" "$(find "$job" -name 'page-*' -type f | sort -t/ -k5 | xargs cat | sha256sum | cut -c1-16)"
  done)
}
requests() { sed -n 's/.*served \([0-9]*\) requests.*/\1/p' "$OUT/$1.log" | tail -1; }
faults() { sed -n 's/.*faults served: //p' "$OUT/$1.log" | tail -1; }
summary() { # jobs done, jobs failed
  printf '%s done, %s failed' "$(grep -c 'Job .* done:' "$OUT/$1.log" || true)" "$(grep -c 'Job .* FAILED' "$OUT/$1.log" || true)"
}

soak_run clean 0 0
soak_run soak "$FAIL_RATE" "$RESET_RATE"

echo
echo "report-pipes fault soak, $(date +%F), $(nproc) cores, fail rate $FAIL_RATE, reset rate $RESET_RATE, seed $SEED"
printf '%-8s %-22s %9s %8s  %s\n' run jobs requests seconds "faults served"
for run in clean soak; do
  printf '%-8s %-22s %9s %8s  %s\n' "$run" "$(summary $run)" "$(requests $run)" "$(cat "$OUT/$run.secs")" "$(faults $run)"
done
fingerprints clean > "$OUT/clean.rows"; fingerprints soak > "$OUT/soak.rows"
if cmp -s "$OUT/clean.rows" "$OUT/soak.rows"; then
  echo "rows: the same for all $(wc -l < "$OUT/clean.rows") jobs (pages compared byte for byte)"
else
  echo "rows: DIFFER"; diff "$OUT/clean.rows" "$OUT/soak.rows" || true
fi
awk -v a="$(requests soak)" -v b="$(requests clean)" 'BEGIN{printf "requests: %.2fx the fault-free run (target <= 1.5)\n", a/b}'
most=$(grep -o '; retry [0-9]* of' "$OUT/soak.log" | awk '{if ($3+0 > m) m=$3+0} END{print m+0}')
echo "most retries of one call: $most (retry.max-redeliveries $MAX_REDELIVERIES)"
status_calls() { grep -o 'ready after [0-9]* status call' "$OUT/$1.log" | awk '{if ($3+0 > m) m=$3+0} END{print m+0}'; }
echo "most status calls for one page: $(status_calls soak) (fault-free: $(status_calls clean); each NOT_READY_ONCE fault adds one)"
# how each fault shows in the log
# (the HTTP client itself retries a 429 or 503 once after its Retry-After: "responded with status 429")
declare -A NAMED=([502-html]="statusCode: 502|HTTP 502" [503-html]="status(Code:)? 503|HTTP 503" [429]="status(Code:)? 429|HTTP 429"
  [slow]="Read timed out" [reset]="failed to respond|NoHttpResponseException|Connection reset" [HTTP_500]="statusCode: 500|HTTP 500" [TRY_AGAIN]="Please try again later"
  [QUEUE_FULL]="download queue is full" [EMPTY_BODY]="answered an empty body" [TRUNCATED_ROW]="cut short"
  [CUT_CONNECTION]="Premature end" [CUT_BODY]="cut short" [INVALIDATE_TOKEN]="the token was refused \\(401\\)" [EXPIRE_JOB]="expired or unknown"
  [NOT_READY_ONCE]="ready after [0-9]+ status call")
unnamed=()
for fault in $(faults soak | tr -d '{}' | tr ',' '\n' | sed 's/=.*//; s/ //g'); do
  grep -qE "${NAMED[$fault]:-$fault}" "$OUT/soak.log" || unnamed+=("$fault")
done
echo "faults the log does not name: ${unnamed[*]:-none}"
