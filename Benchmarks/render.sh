#!/usr/bin/env bash
# The template engine alone: the home page rendered with our Mustache engine (RenderBench) and with
# swift-mustache (HummingbirdPeer's RenderPeer), same templates, same context, same run, release
# builds. Prints microseconds per page (best of three) and the ratio.
#
#   bash Benchmarks/render.sh [iterations]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
iterations=${1:-100000}
echo "building release..." >&2
(cd "$here/RenderBench" && swift build -c release --scratch-path .build-render >&2)
(cd "$here/HummingbirdPeer" && swift build -c release --scratch-path .build-peer --product RenderPeer >&2)
best() { # best of three runs: "micros bytes"
  for _ in 1 2 3; do "$@"; done | sort -n | head -1
}
ours=$(best "$here/RenderBench/.build-render/release/RenderBench" "$root/Templates" "$iterations")
theirs=$(best "$here/HummingbirdPeer/.build-peer/release/RenderPeer" "$root/Templates" $((iterations / 10)))
python3 - "$ours" "$theirs" <<'PY'
import sys
o_us, o_bytes = sys.argv[1].split("\t"); t_us, t_bytes = sys.argv[2].split("\t")
print(f"\n{'engine':<28}{'us/page':>10}{'bytes':>8}")
print(f"{'swiftlet Mustache':<28}{float(o_us):>10.2f}{o_bytes:>8}")
print(f"{'swift-mustache 2.1.1':<28}{float(t_us):>10.2f}{t_bytes:>8}")
print(f"\nswiftlet renders the home page x{float(t_us)/float(o_us):.0f} faster (same templates, same context)")
PY
