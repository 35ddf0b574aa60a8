#!/usr/bin/env bash
# Builds the fuzz targets with AddressSanitizer and libFuzzer's coverage instrumentation on every
# module (Swiftlet's parsers included) and runs each for SECONDS (default 60) from its seed corpus
# in Corpus/<target>/. New inputs go to a scratch folder, not the repository. A crash stops with
# the input saved as crash-* here: add it to the parser's test table, fix, run again.
#
#   bash Tests/Fuzz/run.sh [seconds] [target ...]
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-60}"; shift || true
targets=("$@"); [ ${#targets[@]} -gt 0 ] || targets=(FuzzRequestHead FuzzChunked FuzzResponseHead FuzzJSON FuzzMustache)
runtime="$(ls /opt/swift/usr/lib/clang/*/lib/linux/libclang_rt.fuzzer_no_main-x86_64.a 2>/dev/null | head -1)"
[ -n "$runtime" ] || runtime="$(dirname "$(dirname "$(readlink -f "$(command -v swiftc)")")")/lib/swift/clang/lib/linux/libclang_rt.fuzzer_no_main-x86_64.a"
swift build -c release --scratch-path .build-fuzz \
  -Xswiftc -sanitize=address -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp \
  -Xlinker "$runtime" -Xlinker -lstdc++ >&2
bin="$(swift build -c release --scratch-path .build-fuzz --show-bin-path)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for target in "${targets[@]}"; do
  mkdir -p "$work/$target"
  echo "== $target: ${seconds}s" >&2
  status=0
  ASAN_OPTIONS="detect_leaks=0:halt_on_error=1" "$bin/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 "$work/$target" "Corpus/$target" > "$work/$target.log" 2>&1 || status=$?
  grep -E "stat::number_of_executed_units|stat::new_units_added|ERROR|Test unit written|SUMMARY" "$work/$target.log" >&2 || true
  if [ "$status" -ne 0 ]; then
    tail -40 "$work/$target.log" >&2
    echo "$target found a failure (exit $status): the input is in crash-* under Tests/Fuzz" >&2
    exit 1
  fi
done
echo "fuzzing: ${#targets[@]} passed, 0 failed"
