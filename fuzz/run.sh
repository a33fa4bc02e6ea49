#!/usr/bin/env bash
# Builds (if needed) and runs the libFuzzer targets, then prints per target: execs, exec/s,
# coverage (edges "cov" and features "ft" as libFuzzer counts them), corpus size and crashes.
#
#   fuzz/run.sh [TARGET...] [--seconds N] [--jobs N]
#
# TARGET: fuzz_* names (default: all; `fuzz/run.sh --list` prints them). --seconds: time per target
# (default 60); --jobs: targets fuzzed at once (default 1). Every run is bounded by -max_total_time
# plus an outer `timeout`. Corpora live in build-fuzz/corpus/TARGET/ (out of git), grown from the
# committed seeds fuzz/seeds/TARGET/ (read only). A crash, leak, timeout or out-of-memory input is
# minimised into fuzz/crashes/TARGET/ (commit it with the fix and its unit test) and the script
# exits 1. Logs: build-fuzz/logs/TARGET.log.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
build=$root/build-fuzz
seconds=60
jobs=1
targets=()
while (($#)); do
  case "$1" in
    --seconds) seconds=${2:?}; shift 2 ;;
    --jobs) jobs=${2:?}; shift 2 ;;
    --list) sed -n 's/^mailspec_fuzz_target(\(fuzz_[a-z0-9_]*\).*/\1/p' fuzz/CMakeLists.txt; exit 0 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    -*) echo "fuzz/run.sh: unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
((${#targets[@]})) || mapfile -t targets < <(sed -n 's/^mailspec_fuzz_target(\(fuzz_[a-z0-9_]*\).*/\1/p' fuzz/CMakeLists.txt)

export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=true
if [ ! -f "$build/build.ninja" ]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++-14 \
    -DMAILSPEC_FUZZ=ON >/dev/null
fi
cmake --build "$build" -j "$(nproc)" --target "${targets[@]}" >/dev/null

mkdir -p "$build/logs"
run_one() {
  local t=$1 bin=$build/bin/$1
  local corpus=$build/corpus/$t artifacts=$build/artifacts/$t
  mkdir -p "$corpus" "$artifacts"
  local opts=(-max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
              -max_total_time="$seconds" "-artifact_prefix=$artifacts/")
  [ -f "fuzz/dict/$t.dict" ] && opts+=("-dict=fuzz/dict/$t.dict")
  local seeds=()
  [ -d "fuzz/seeds/$t" ] && seeds=("fuzz/seeds/$t")
  timeout --kill-after=10 $((seconds + 120)) "$bin" "${opts[@]}" "$corpus" "${seeds[@]}" \
    >"$build/logs/$t.log" 2>&1 || true
  # Minimise what was found into fuzz/crashes/TARGET/.
  local a found=0
  for a in "$artifacts"/crash-* "$artifacts"/leak-* "$artifacts"/timeout-* "$artifacts"/oom-*; do
    [ -f "$a" ] && [[ $a != *.seen ]] || continue
    mkdir -p "fuzz/crashes/$t"
    local out=fuzz/crashes/$t/$(basename "$a")
    timeout --kill-after=10 120 "$bin" -minimize_crash=1 -max_total_time=60 -timeout=10 \
      -exact_artifact_path="$out" "$a" >>"$build/logs/$t.minimize.log" 2>&1 || true
    [ -f "$out" ] || cp "$a" "$out"
    mv "$a" "$a.seen"
    found=$((found + 1))
  done
  echo "$found" >"$build/logs/$t.crashes"
}

running=0
for t in "${targets[@]}"; do
  [ -x "$build/bin/$t" ] || { echo "fuzz/run.sh: no target $t" >&2; exit 2; }
  run_one "$t" &
  running=$((running + 1))
  if ((running >= jobs)); then wait -n || true; running=$((running - 1)); fi
done
wait

status=0
printf '%-32s %12s %8s %8s %8s %8s %8s\n' target execs exec/s edges features corpus crashes
for t in "${targets[@]}"; do
  log=$build/logs/$t.log
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  last=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  corp=$(sed -n 's/.* corp: \([0-9]*\).*/\1/p' <<<"$last")
  crashes=$(cat "$build/logs/$t.crashes" 2>/dev/null || echo '?')
  [ "$crashes" = 0 ] && grep -qE '^==[0-9]+==ERROR|fuzz invariant failed' "$log" && crashes=1
  [ "$crashes" = 0 ] || status=1
  printf '%-32s %12s %8s %8s %8s %8s %8s\n' "$t" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" \
    "${corp:-?}" "${crashes:-0}"
done
((status == 0)) || echo "fuzz/run.sh: crashes found; reproducers in fuzz/crashes/, logs in $build/logs/" >&2
exit $status
