#!/usr/bin/env bash
# Instructions per request, counted by valgrind's callgrind: repeatable whatever else this machine
# is doing, so a change can be judged before a timed run (Benchmarks/run.sh).
#
#   bash Benchmarks/instructions.sh [binary] [requests]
#
# Starts the binary (default .build/release/swiftlet, built if missing) as `serve --loops 1
# --store memory` under callgrind, sends each case's requests one after another on one kept-alive
# connection, and does it twice (requests/5 and requests): the difference of the two totals divided
# by the difference in requests is what one request costs, start-up and shutdown cancelled out.
# User space only, every thread of the server counted, access lines off (LOG_LEVEL=notice), as
# in Benchmarks/run.sh. Needs valgrind.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
binary=${1:-$root/.build/release/swiftlet}
requests=${2:-5000}
command -v valgrind >/dev/null || { echo "needs valgrind (apt-get install -y valgrind)" >&2; exit 1; }
if [ ! -x "$binary" ]; then (cd "$root" && swift build -c release --product swiftlet >&2); fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Without its DWARF 5 debug information, which valgrind 3.19 (Debian 12) cannot read; the symbols
# stay, and the count does not depend on them.
strip --strip-debug -o "$work/swiftlet" "$binary"
binary=$work/swiftlet

css=$("$binary" assets "$work/export" --public-folder "$root/Public" | awk -F'\t' '$1 ~ /^assets\/app\..*\.css$/ {print "/" $1}')
cases=("GET /health" "GET /api/visits" "POST /api/visits" "GET /" "GET $css" "GET $css gzip")

# total-instructions BINARY "METHOD PATH [gzip]" COUNT
total() {
  local out="$work/callgrind.out" log="$work/server.log"
  rm -f "$out"
  LOG_LEVEL=notice valgrind --tool=callgrind --callgrind-out-file="$out" "$binary" serve --port 0 --loops 1 --store memory \
    --public-folder "$root/Public" --templates-folder "$root/Templates" >"$log" 2>&1 &
  local pid=$!
  python3 - "$log" "$2" "$3" <<'PY'
import re, socket, sys, time
log, case, count = sys.argv[1], sys.argv[2].split(), int(sys.argv[3])
deadline = time.time() + 120
port = None
while port is None:
    match = re.search(r"listening on http://127\.0\.0\.1:(\d+)", open(log).read())
    if match: port = int(match.group(1))
    elif time.time() > deadline: sys.exit("the server did not start: " + open(log).read())
    else: time.sleep(0.1)
method, path = case[0], case[1]
extra = "Accept-Encoding: gzip\r\n" if len(case) > 2 else ""
request = ("%s %s HTTP/1.1\r\nHost: localhost\r\n%s\r\n" % (method, path, extra)).encode()
sock = socket.create_connection(("127.0.0.1", port))
buffer = b""
for _ in range(count):
    sock.sendall(request)
    while b"\r\n\r\n" not in buffer:
        buffer += sock.recv(65536)
    head, _, buffer = buffer.partition(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 200"): sys.exit("unexpected answer: %r" % head[:80])
    length = int(re.search(rb"(?i)content-length: (\d+)", head).group(1))
    while len(buffer) < length:
        buffer += sock.recv(65536)
    buffer = buffer[length:]
sock.close()
PY
  kill -TERM "$pid"
  wait "$pid" || true
  [ -s "$out" ] || { echo "callgrind wrote nothing for $2: $(tail -5 "$log")" >&2; exit 1; }
  awk '/^totals:/ {print $2}' "$out"
}

printf '%-40s %12s\n' "request" "instructions"
for case in "${cases[@]}"; do
  few=$((requests / 5))
  low=$(total "$binary" "$case" "$few")
  high=$(total "$binary" "$case" "$requests")
  printf '%-40s %12d\n' "$case" $(( (high - low) / (requests - few) ))
done
