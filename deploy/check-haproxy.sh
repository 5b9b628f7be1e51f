#!/usr/bin/env bash
# Runs deploy/haproxy.cfg in front of two replicas of the packaged jar on this machine and checks what the file
# promises: both replicas UP once ready (health-checked on readiness), captions through the proxy spread over
# both, a stopped replica marked DOWN while the other answers every caption, a restarted one UP again, and
# HAProxy's own 503 (no replica left) as problem+json with Retry-After. Exits non-zero on any failure.
#
# Needs: target/captioner.jar (./mvnw -q -B -DskipTests package), haproxy (apt install haproxy), curl.
# Usage: deploy/check-haproxy.sh
#   CAPTIONER_CHECK_PORT   first of four loopback ports: proxy, stats, replica 1, replica 2 (default 18180)
set -euo pipefail
cd "$(dirname "$0")/.."

base=${CAPTIONER_CHECK_PORT:-18180}
proxy_port=$base stats_port=$((base + 1))
replica_ports=($((base + 2)) $((base + 3)))
jar=target/captioner.jar
work=$(mktemp -d)
declare -A replica_pid=()
haproxy_pid=""
started=$(date +%s)

log() { echo "[haproxy-check $(($(date +%s) - started))s] $*" >&2; }
fail() { echo "[haproxy-check] FAILED: $*" >&2; exit 1; }
cleanup() {
  for pid in "${replica_pid[@]}" $haproxy_pid; do
    kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

for tool in haproxy curl java; do
  command -v "$tool" >/dev/null || fail "$tool is missing"
done
[ -f "$jar" ] || fail "$jar is missing: ./mvnw -q -B -DskipTests package"

# both replicas serve one models folder, as they share one volume in Kubernetes; each has its own data dir
cp -r models "$work/models"
start_replica() {
  local n=$1 port=${replica_ports[$(($1 - 1))]}
  mkdir -p "$work/data$n"
  OMP_WAIT_POLICY=passive java -Xmx1g -jar "$jar" --server.port="$port" --captioner.admin.password=pw \
    --captioner.models-dir="$work/models" --captioner.data-dir="$work/data$n" >"$work/replica$n.log" 2>&1 &
  replica_pid[$n]=$!
  log "replica$n starting on port $port (pid ${replica_pid[$n]})"
}
stop_replica() {
  kill "${replica_pid[$1]}" && wait "${replica_pid[$1]}" 2>/dev/null || true
  unset "replica_pid[$1]"
  log "replica$1 stopped"
}

# a server's status as HAProxy's stats CSV gives it (UP, DOWN, "UP 1/2" while rising...)
server_status() {
  curl -fsS "http://127.0.0.1:$stats_port/stats;csv" |
    awk -F, -v s="replica$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "status") c = i }
                              $1 == "replicas" && $2 == s { print $c }'
}
server_sessions() {
  curl -fsS "http://127.0.0.1:$stats_port/stats;csv" |
    awk -F, -v s="replica$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "stot") c = i }
                              $1 == "replicas" && $2 == s { print $c }'
}
# waits on progress: until HAProxy reports the status, as long as the replica (when it should be up) still runs;
# the cap only stops a hang
wait_status() {
  local n=$1 want=$2
  for _ in $(seq 1 600); do
    [ "$(server_status "$n")" = "$want" ] && { log "replica$n is $want in HAProxy"; return; }
    if [ "$want" = UP ] && ! kill -0 "${replica_pid[$n]}" 2>/dev/null; then
      tail -20 "$work/replica$n.log" >&2
      fail "replica$n exited before it was ready"
    fi
    sleep 0.5
  done
  fail "replica$n never became $want (status: $(server_status "$n"))"
}
caption() {  # prints the HTTP status; the body goes to $work/answer.json
  curl -sS -o "$work/answer.json" -w '%{http_code}' --data-binary @"$work/scene/images/scene_000001.png" \
    -H 'Content-Type: image/png' "http://127.0.0.1:$proxy_port/api/v1/captions"
}

log "drawing a picture of the demo model's kind"
java -jar "$jar" generate-scenes --output "$work/scene" --count 1 --seed 99 >/dev/null

start_replica 1
start_replica 2
CAPTIONER_DEPLOY_DIR="$PWD/deploy" CAPTIONER_PROXY_BIND="127.0.0.1:$proxy_port" \
  CAPTIONER_STATS_BIND="127.0.0.1:$stats_port" \
  CAPTIONER_REPLICA_1="127.0.0.1:${replica_ports[0]}" CAPTIONER_REPLICA_2="127.0.0.1:${replica_ports[1]}" \
  haproxy -db -f deploy/haproxy.cfg >"$work/haproxy.log" 2>&1 &
haproxy_pid=$!
for _ in $(seq 1 100); do
  curl -fsS -o /dev/null "http://127.0.0.1:$stats_port/stats" 2>/dev/null && break
  kill -0 "$haproxy_pid" 2>/dev/null || { cat "$work/haproxy.log" >&2; fail "haproxy exited"; }
  sleep 0.1
done
log "HAProxy up; replica1 while it loads its model: $(server_status 1)"
wait_status 1 UP
wait_status 2 UP

log "six captions through the proxy"
for i in 1 2 3 4 5 6; do
  status=$(caption)
  [ "$status" = 200 ] || fail "caption $i: $status $(cat "$work/answer.json")"
  grep -q '"captions"' "$work/answer.json" || fail "caption $i: no captions in $(cat "$work/answer.json")"
done
s1=$(server_sessions 1) s2=$(server_sessions 2)
log "requests per replica (HAProxy's stot, health checks not counted): replica1 $s1, replica2 $s2"
[ "$s1" -gt 0 ] && [ "$s2" -gt 0 ] || fail "the captions did not spread over both replicas"

log "the admin pages' sign-in through the proxy: the session stays with the replica that made it"
jar_cookies="$work/cookies.txt"
curl -fsS -c "$jar_cookies" -o /dev/null "http://127.0.0.1:$proxy_port/admin/ui/login"
xsrf=$(awk '$6 == "XSRF-TOKEN" { print $7 }' "$jar_cookies")
[ -n "$xsrf" ] || fail "no XSRF-TOKEN cookie from the sign-in page"
status=$(curl -sS -b "$jar_cookies" -c "$jar_cookies" -o /dev/null -w '%{http_code}' -H "X-XSRF-TOKEN: $xsrf" \
  --data-urlencode username=admin --data-urlencode password=pw "http://127.0.0.1:$proxy_port/admin/ui/login")
[ "$status" = 204 ] || fail "sign-in: $status"
session=$(awk '$6 == "CAPTIONER_SESSION" { print $7 }' "$jar_cookies")
case "$session" in replica[12]~*) ;; *) fail "the session cookie is not prefixed with a replica: '$session'" ;; esac
for i in 1 2 3 4 5 6; do
  status=$(curl -sS -b "$jar_cookies" -o /dev/null -w '%{http_code}' "http://127.0.0.1:$proxy_port/admin/ui/")
  [ "$status" = 200 ] || fail "signed-in page $i: $status (the session went to the other replica?)"
done
log "signed in on ${session%%~*}: six admin page loads answered 200"

stop_replica 2
wait_status 2 DOWN
for i in 1 2 3 4; do
  status=$(caption)
  [ "$status" = 200 ] || fail "caption $i with replica2 down: $status $(cat "$work/answer.json")"
done
log "four captions answered 200 with replica2 down"

start_replica 2
wait_status 2 UP

stop_replica 1
stop_replica 2
wait_status 1 DOWN
wait_status 2 DOWN
status=$(caption)
[ "$status" = 503 ] || fail "with no replica: $status, not 503"
headers=$(curl -sS -D - -o /dev/null "http://127.0.0.1:$proxy_port/api/v1/model")
grep -qi '^content-type: application/problem+json' <<<"$headers" || fail "HAProxy's 503 is not problem+json: $headers"
grep -qi '^retry-after: ' <<<"$headers" || fail "HAProxy's 503 has no Retry-After: $headers"
log "no replica left: 503 $(cat "$work/answer.json")"
log "OK"
