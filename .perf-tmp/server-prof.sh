PORT=40999 HOST=127.0.0.1 LOG_LEVEL=warn WATCH_KNOWLEDGE=0 UNANSWERED_LOG=/dev/null node --cpu-prof --cpu-prof-dir=/tmp/perf --import tsx src/server/main.ts &
P=$!
for i in $(seq 1 300); do curl -sf http://127.0.0.1:40999/readyz >/dev/null && break; sleep 0.05; done
kill -TERM $P; wait $P
