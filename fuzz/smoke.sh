#!/usr/bin/env bash
# The CI smoke of one fuzz target (ctest -L fuzz in the fuzz build; ci/fuzz-smoke.sh):
#   fuzz/smoke.sh BINARY NAME SECONDS
# 1. replays every committed reproducer in fuzz/crashes/NAME/ (each must run clean);
# 2. fuzzes for SECONDS on the seeds in fuzz/seeds/NAME/ with the target's dictionary, writing new
#    inputs to a temporary corpus (the committed seeds are only read). Any crash, leak, sanitizer
#    report or input slower than 10 s fails the test.
set -euo pipefail
bin=${1:?usage: smoke.sh BINARY NAME SECONDS}
name=${2:?}
seconds=${3:-5}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
opts=(-max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 "-artifact_prefix=$work/")
[ -f "$here/dict/$name.dict" ] && opts+=("-dict=$here/dict/$name.dict")
shopt -s nullglob
repros=("$here/crashes/$name"/*)
if ((${#repros[@]})); then
  echo "== $name: replaying ${#repros[@]} reproducer(s)"
  "$bin" "${opts[@]}" "${repros[@]}"
fi
seeds=()
[ -d "$here/seeds/$name" ] && seeds=("$here/seeds/$name")
mkdir -p "$work/corpus"
echo "== $name: fuzzing ${seconds}s on ${seeds[*]:-no seeds}"
"$bin" "${opts[@]}" -max_total_time="$seconds" "$work/corpus" "${seeds[@]}"
