#!/usr/bin/env bash
# Benchmarks swiftlet against peers measured in the same run, and prints one table.
#
#   bash Benchmarks/run.sh [seconds-per-case] [connections]
#
# Builds swiftlet in release mode, starts it and nginx (Debian's, with its own config on a loopback port)
# and runs wrk against each with the same settings. Prints requests/s, p50, p99, the server's CPU time
# per request, and each peer's figures as a ratio. Needs: wrk, nginx (apt-get install wrk nginx).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
seconds=${1:-10}
connections=${2:-64}
threads=${WRK_THREADS:-2}
work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

for tool in wrk nginx python3; do
  command -v "$tool" >/dev/null || { echo "benchmark needs $tool (apt-get install -y wrk nginx)" >&2; exit 1; }
done

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_port() { for _ in $(seq 1 200); do (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.05; done; echo "port $1 never opened" >&2; exit 1; }

echo "building release..." >&2
(cd "$root" && swift build -c release --product swiftlet >&2)
bin="$root/.build/release/swiftlet"

# --- swiftlet
swiftlet_port=$(free_port)
(cd "$root" && LOG_LEVEL=warning exec "$bin" serve --port "$swiftlet_port") &
pids+=($!); swiftlet_pid=$!
wait_port "$swiftlet_port"

# --- nginx: worker_processes auto, keep-alive, access log off
nginx_port=$(free_port)
mkdir -p "$work/nginx"
cat > "$work/nginx/nginx.conf" <<NGINX
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_timeout 75s;
  keepalive_requests 100000000;
  client_body_temp_path $work/nginx;
  proxy_temp_path $work/nginx;
  fastcgi_temp_path $work/nginx;
  uwsgi_temp_path $work/nginx;
  scgi_temp_path $work/nginx;
  server {
    listen 127.0.0.1:$nginx_port;
    location = /health { default_type application/json; return 200 '{"status":"ok"}'; }
  }
}
NGINX
nginx -c "$work/nginx/nginx.conf" -g 'daemon off;' &
pids+=($!); nginx_pid=$!
wait_port "$nginx_port"

# CPU seconds (user+system) of a process and its children threads, from /proc.
cpu_of() { python3 - "$@" <<'PY'
import os, sys
total = 0
for pid in sys.argv[1:]:
    pids = [pid] + [c for c in open(f"/proc/{pid}/task/{pid}/children").read().split()] if os.path.exists(f"/proc/{pid}/task/{pid}/children") else [pid]
    for p in pids:
        try:
            fields = open(f"/proc/{p}/stat").read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except FileNotFoundError:
            pass
print(total / os.sysconf("SC_CLK_TCK"))
PY
}

results="$work/results.tsv"
: > "$results"
# run NAME URL PID [wrk args...]
run() {
  local name=$1 url=$2 pid=$3; shift 3
  wrk -t"$threads" -c"$connections" -d2s "$@" "$url" >/dev/null 2>&1 || true   # warm-up
  local before after
  before=$(cpu_of "$pid")
  wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency "$@" "$url" > "$work/wrk.txt" 2>&1
  after=$(cpu_of "$pid")
  python3 - "$name" "$before" "$after" "$work/wrk.txt" >> "$results" <<'PY'
import re, sys
name, before, after, path = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
text = open(path).read()
def latency(p):
    m = re.search(r"^\s*%s%%\s+([\d.]+)(us|ms|s)\s*$" % p, text, re.M)
    if not m: return float("nan")
    v, unit = float(m.group(1)), m.group(2)
    return v / 1000 if unit == "us" else (v if unit == "ms" else v * 1000)
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
total = int(re.search(r"(\d+) requests in", text).group(1))
errors = sum(int(x) for x in re.findall(r"(?:Non-2xx or 3xx responses|Socket errors:.*?):?\s+(\d+)", text))
cpu_us = (float(after) - float(before)) * 1e6 / max(total, 1)
print(f"{name}\t{rps:.0f}\t{latency(50):.3f}\t{latency(99):.3f}\t{cpu_us:.1f}\t{errors}")
PY
}

run "GET /health  swiftlet" "http://127.0.0.1:$swiftlet_port/health" "$swiftlet_pid"
run "GET /health  nginx"    "http://127.0.0.1:$nginx_port/health"    "$nginx_pid"

python3 - "$results" "$seconds" "$connections" "$threads" <<'PY'
import sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1]) if line.strip()]
print(f"\nwrk {sys.argv[4]} threads, {sys.argv[3]} connections, {sys.argv[2]} s per case, same machine, same run\n")
print(f"{'case':<34}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'CPU us/req':>12}{'errors':>8}")
for name, rps, p50, p99, cpu, errors in rows:
    print(f"{name:<34}{rps:>10}{p50:>9}{p99:>9}{cpu:>12}{errors:>8}")
by = {r[0]: r for r in rows}
print()
def ratio(a, b, label):
    if a in by and b in by:
        A, B = by[a], by[b]
        print(f"{label:<44} req/s x{float(A[1])/float(B[1]):.2f}   p99 {A[3]} vs {B[3]} ms   CPU/req x{float(A[4])/max(float(B[4]),1e-9):.2f}")
ratio("GET /health  swiftlet", "GET /health  nginx", "GET /health: swiftlet / nginx")
for line in open(sys.argv[1] + ".ratios") if False else []:
    pass
PY
