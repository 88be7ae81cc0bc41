# Shared by bench/run.sh and bench/soak.sh (sourced): the class path and the java to run, given $OUT.
# BENCH_CLASSPATH: a class path to use as it is (the test suite's smoke runs pass their own).
if [ -n "${BENCH_CLASSPATH:-}" ]; then
  CP="$BENCH_CLASSPATH"
else
  ./mvnw -q compile dependency:build-classpath -Dmdep.outputFile="$OUT/classpath.txt" >/dev/null
  CP="target/classes:$(cat "$OUT/classpath.txt")"
fi
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
