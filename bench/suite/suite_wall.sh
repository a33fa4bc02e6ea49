#!/usr/bin/env bash
# Wall time of the whole scenario library against the embedded default (issue 5, "Speed"): a
# benchmark script, not a timed test.
#
# Usage: bench/suite/suite_wall.sh [--smoke] [--mailspec PATH] [--runs N] [--jobs N] [PATH...]
#
# Times `mailspec run -j JOBS PATH...` (default: scenarios/), with no --target, so each run spawns
# mailspec-server --ephemeral and stops it: server start is included. RUNS runs (default 5); prints
# each run's wall time and the outcome line of `mailspec run`, then min / median / max. Uses
# hyperfine when it is installed, otherwise a plain loop. CPU time of the whole run (mailspec and
# the server it spawned, from bash's `times`) is printed too, as it depends less on machine load.
# --smoke: 1 run over scenarios/samples (for ctest: the figure must be positive, the run must
# finish; no speed is asserted). Exit: 0 done, 1 a run failed (mailspec exited 2, or timed out
# after 600 s), 2 usage.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

mailspec=${MAILSPEC:-$root/build/bin/mailspec}
runs=5
jobs=2
paths=()
smoke=0

usage() {
  sed -n '5p' "$0" | sed 's/^# //' >&2
  exit 2
}

while [ $# -gt 0 ]; do
  case $1 in
    --smoke) smoke=1; runs=1 ;;
    --mailspec) mailspec=${2:?}; shift ;;
    --runs) runs=${2:?}; shift ;;
    --jobs) jobs=${2:?}; shift ;;
    -h|--help) usage ;;
    -*) echo "suite_wall: unknown option '$1'" >&2; usage ;;
    *) paths+=("$1") ;;
  esac
  shift
done
[[ $runs =~ ^[1-9][0-9]{0,2}$ ]] || { echo "suite_wall: --runs '$runs' is not 1..999" >&2; exit 2; }
[[ $jobs =~ ^[1-9][0-9]{0,2}$ ]] || { echo "suite_wall: --jobs '$jobs' is not 1..999" >&2; exit 2; }
[ -x "$mailspec" ] || { echo "suite_wall: mailspec not found at '$mailspec' (use --mailspec PATH)" >&2; exit 2; }
if [ ${#paths[@]} -eq 0 ]; then
  if [ $smoke -eq 1 ]; then paths=("$root/scenarios/samples"); else paths=("$root/scenarios"); fi
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/mailspec-bench-suite.XXXXXX")
trap 'rm -rf -- "$work"' EXIT

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
echo "# suite_wall: mailspec run -j $jobs ${paths[*]}; $runs runs; $(nproc) cores; load $(loadavg)"

walls=()
if command -v hyperfine >/dev/null 2>&1; then
  # hyperfine measures; a second pass is not needed for the outcome line: --show-output is noisy,
  # so the outcome comes from one extra untimed run below.
  printf -v command '%q ' "$mailspec" run -j "$jobs" "${paths[@]}"
  hyperfine --runs "$runs" --ignore-failure --export-json "$work/hyperfine.json" "$command" >&2 || exit 1
  mapfile -t walls < <(python3 -c 'import json,sys; [print("%.3f" % t) for t in json.load(open(sys.argv[1]))["results"][0]["times"]]' "$work/hyperfine.json")
  for i in "${!walls[@]}"; do echo "run=$((i + 1)) seconds=${walls[$i]} load=$(loadavg)"; done
else
  for ((run = 1; run <= runs; run++)); do
    start=$(date +%s.%N)
    timeout 600 "$mailspec" run -j "$jobs" "${paths[@]}" >"$work/out" 2>&1
    rc=$?
    end=$(date +%s.%N)
    outcome=$(grep -E '^[0-9]+ passed' "$work/out" | tail -n 1)
    if [ $rc -ne 0 ] && [ $rc -ne 1 ]; then
      echo "suite_wall: mailspec run exited $rc (run $run):" >&2
      tail -n 5 "$work/out" >&2
      exit 1
    fi
    wall=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')
    walls+=("$wall")
    echo "run=$run seconds=$wall exit=$rc outcome=\"$outcome\" load=$(loadavg)"
  done
fi

# CPU time of one more run (mailspec and the server it spawned), independent of the wall clock.
times >"$work/times-before"  # a builtin in this shell: $(times) would run in a subshell
before=$(tail -n 1 "$work/times-before")
timeout 600 "$mailspec" run -j "$jobs" "${paths[@]}" >/dev/null 2>&1
times >"$work/times-after"
after=$(tail -n 1 "$work/times-after")
cpu=$(awk -v a="$before" -v b="$after" 'function s(t,  m) { split(t, m, /[ms]/); return m[1] * 60 + m[2] }
  BEGIN { split(a, x, " "); split(b, y, " "); printf "%.2f", s(y[1]) + s(y[2]) - s(x[1]) - s(x[2]) }')

printf '%s\n' "${walls[@]}" | sort -g | awk -v runs="$runs" -v cpu="$cpu" '
  { v[NR] = $1 }
  END { printf "summary runs=%d min=%.3fs median=%.3fs max=%.3fs cpu_per_run=%ss\n", runs, v[1], v[int((NR + 1) / 2)], v[NR], cpu
        if (v[int((NR + 1) / 2)] <= 0) exit 1 }'
