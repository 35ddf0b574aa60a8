#!/usr/bin/env bash
# Benchmarks swiftlet against peers measured in the same run, and prints one table.
#
#   bash Benchmarks/run.sh [seconds-per-case] [connections]
#
# Each pair of cases (swiftlet and its peer) runs ROUNDS times (default 3), alternating, and the
# table gives each case's median and the median of the per-round ratios: the host's speed drifts
# by a factor of two within minutes, and a peer measured a minute apart is not the same run.
#
# Builds swiftlet and the Hummingbird 2 peer (HummingbirdPeer/, a separate package) in release mode,
# starts them and nginx (Debian's, with its own config on a loopback port) and runs wrk against each
# with the same settings, in one run:
#   GET /health           swiftlet vs nginx (return 200)
#   GET /, GET and POST /api/visits   swiftlet vs Hummingbird (same templates, same SQLite statements)
#   the hashed CSS, identity and gzip  swiftlet vs nginx (gzip_static, the same exported files)
# Prints requests/s, p50, p99, the server's CPU time per request, and the ratios.
# Needs: wrk, nginx (apt-get install wrk nginx). SKIP_PEER=1 leaves Hummingbird out.
# PIN=1 puts every server on CPU 0 and wrk on CPU 1 (taskset), so that the load generator does not
# share cores with the server it measures; the default (as the issues specify) lets them share.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
seconds=${1:-10}
connections=${2:-64}
threads=${WRK_THREADS:-2}
rounds=${ROUNDS:-3}
server_cpu=(); client_cpu=()
if [ -n "${PIN:-}" ]; then
  command -v taskset >/dev/null || { echo "PIN=1 needs taskset (util-linux)" >&2; exit 1; }
  server_cpu=(taskset -c 0); client_cpu=(taskset -c 1)
fi
work=$(mktemp -d)
chmod 755 "$work"   # nginx workers run as nobody and read the exported files
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
peer_dir="$here/HummingbirdPeer"
if [ -z "${SKIP_PEER:-}" ]; then
  echo "building the Hummingbird peer (first time: several minutes)..." >&2
  (cd "$peer_dir" && swift build -c release --scratch-path .build-peer >&2)
fi

# The hashed files as `swiftlet assets` exports them: nginx serves these, the peer reads the manifest.
"$bin" assets "$work/export" --public-folder "$root/Public" > "$work/uploads.txt"
css_path=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["app.css"]["path"])' "$work/export/manifest.json")

# --- swiftlet, on its own SQLite file
swiftlet_port=$(free_port)
(cd "$root" && LOG_LEVEL=warning SWIFTLET_SQLITE_PATH="$work/swiftlet.sqlite" exec "${server_cpu[@]}" "$bin" serve --port "$swiftlet_port") &
pids+=($!); swiftlet_pid=$!
wait_port "$swiftlet_port"

# --- Hummingbird 2 + swift-mustache, on its own SQLite file
if [ -z "${SKIP_PEER:-}" ]; then
  peer_port=$(free_port)
  "${server_cpu[@]}" "$peer_dir/.build-peer/release/HummingbirdPeer" "$peer_port" "$root/Templates" "$work/export/manifest.json" "$work/peer.sqlite" > "$work/peer.log" 2>&1 &
  pids+=($!); peer_pid=$!
  wait_port "$peer_port"
fi

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
  sendfile on;
  tcp_nopush on;
  types { text/css css; text/javascript js; image/x-icon ico; }
  charset utf-8;
  charset_types text/css text/javascript;
  server {
    listen 127.0.0.1:$nginx_port;
    location = /health { default_type application/json; return 200 '{"status":"ok"}'; }
    location /assets/ {
      root $work/export;
      gzip_static on;
      gzip_vary on;
      etag on;
      add_header Cache-Control "public, max-age=31536000, immutable";
    }
  }
}
NGINX
"${server_cpu[@]}" nginx -c "$work/nginx/nginx.conf" -g 'daemon off;' &
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
  [ "$round" = 1 ] && { "${client_cpu[@]}" wrk -t"$threads" -c"$connections" -d2s "$@" "$url" >/dev/null 2>&1 || true; }   # warm-up
  local before after
  before=$(cpu_of "$pid")
  "${client_cpu[@]}" wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency "$@" "$url" > "$work/wrk.txt" 2>&1
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
print(f"{name}\t{rps:.0f}\t{latency(50):.3f}\t{latency(99):.3f}\t{cpu_us:.1f}\t{errors}\t{__import__('os').environ['round']}")
PY
}

cat > "$work/post.lua" <<'LUA'
wrk.method = "POST"
LUA
gzip=(-H "Accept-Encoding: gzip")

for round in $(seq 1 "$rounds"); do
  export round
  echo "round $round of $rounds..." >&2
  run "GET /health  swiftlet" "http://127.0.0.1:$swiftlet_port/health" "$swiftlet_pid"
  run "GET /health  nginx"    "http://127.0.0.1:$nginx_port/health"    "$nginx_pid"
  run "GET /  swiftlet"       "http://127.0.0.1:$swiftlet_port/"       "$swiftlet_pid"
  run "GET / gzip  swiftlet"  "http://127.0.0.1:$swiftlet_port/"       "$swiftlet_pid" "${gzip[@]}"
  [ -n "${peer_pid:-}" ] && run "GET /  hummingbird" "http://127.0.0.1:$peer_port/" "$peer_pid"
  run "GET /api/visits  swiftlet" "http://127.0.0.1:$swiftlet_port/api/visits" "$swiftlet_pid"
  [ -n "${peer_pid:-}" ] && run "GET /api/visits  hummingbird" "http://127.0.0.1:$peer_port/api/visits" "$peer_pid"
  run "POST /api/visits  swiftlet" "http://127.0.0.1:$swiftlet_port/api/visits" "$swiftlet_pid" -s "$work/post.lua"
  [ -n "${peer_pid:-}" ] && run "POST /api/visits  hummingbird" "http://127.0.0.1:$peer_port/api/visits" "$peer_pid" -s "$work/post.lua"
  run "CSS identity  swiftlet" "http://127.0.0.1:$swiftlet_port$css_path" "$swiftlet_pid"
  run "CSS identity  nginx"    "http://127.0.0.1:$nginx_port$css_path"    "$nginx_pid"
  run "CSS gzip  swiftlet"     "http://127.0.0.1:$swiftlet_port$css_path" "$swiftlet_pid" "${gzip[@]}"
  run "CSS gzip  nginx"        "http://127.0.0.1:$nginx_port$css_path"    "$nginx_pid" "${gzip[@]}"
done

python3 - "$results" "$seconds" "$connections" "$threads" "$rounds" <<'PY'
import os, sys
from statistics import median
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1]) if line.strip()]
pinned = "servers on CPU 0, wrk on CPU 1" if os.environ.get("PIN") else "servers and wrk sharing both cores"
print(f"\nwrk {sys.argv[4]} threads, {sys.argv[3]} connections, {sys.argv[2]} s per case, {sys.argv[5]} alternating rounds, same machine, {pinned}; medians\n")
print(f"{'case':<34}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'CPU us/req':>12}{'errors':>8}")
names = list(dict.fromkeys(r[0] for r in rows))
by = {}
for name in names:
    mine = [r for r in rows if r[0] == name]
    by[name] = {r[6]: r for r in mine}
    col = lambda i: median(float(r[i]) for r in mine)
    print(f"{name:<34}{col(1):>10.0f}{col(2):>9.3f}{col(3):>9.3f}{col(4):>12.1f}{sum(int(r[5]) for r in mine):>8}")
print()
def ratio(a, b, label):
    if a not in by or b not in by: return
    rounds = [k for k in by[a] if k in by[b]]
    per = lambda i: median(float(by[a][k][i]) / max(float(by[b][k][i]), 1e-9) for k in rounds)
    p99a = median(float(by[a][k][3]) for k in rounds); p99b = median(float(by[b][k][3]) for k in rounds)
    spread = sorted(float(by[a][k][1]) / float(by[b][k][1]) for k in rounds)
    print(f"{label:<44} req/s x{per(1):.2f} (rounds {spread[0]:.2f}-{spread[-1]:.2f})   p99 {p99a:.3f} vs {p99b:.3f} ms   CPU/req x{per(4):.2f}")
ratio("GET /health  swiftlet", "GET /health  nginx", "GET /health: swiftlet / nginx")
ratio("GET /  swiftlet", "GET /  hummingbird", "GET /: swiftlet / hummingbird")
ratio("GET /api/visits  swiftlet", "GET /api/visits  hummingbird", "GET /api/visits: swiftlet / hummingbird")
ratio("POST /api/visits  swiftlet", "POST /api/visits  hummingbird", "POST /api/visits: swiftlet / hummingbird")
ratio("CSS identity  swiftlet", "CSS identity  nginx", "CSS identity: swiftlet / nginx")
ratio("CSS gzip  swiftlet", "CSS gzip  nginx", "CSS gzip: swiftlet / nginx")
PY
