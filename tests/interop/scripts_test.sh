#!/usr/bin/env bash
# Usage: tests/interop/scripts_test.sh [dovecot-postfix|cyrus-exim]   (default dovecot-postfix)
# Checks the contracts of one interop stack's scripts (ci/interop, or ci/interop/cyrus-exim) that
# need no servers: usage errors exit 2, stop.sh on a directory with nothing running exits 0,
# smoke.py without interop.env exits 2 with a clear message, start.sh refuses a foreign non-empty
# directory, every template placeholder is one start.sh replaces, the target profile's ports equal
# the stack's common.sh, with-servers.sh skips (77) when not root, and with-servers.sh's own
# contract, run with the stack's real with-servers.sh and lib/ over stand-in start.sh / stop.sh:
# CMD's status is passed on, the servers are stopped once, a failed start passes its status on
# without running CMD, and on SIGTERM / SIGINT the servers are stopped at once (not when CMD ends),
# CMD gets the signal (SIGINT too, although CMD runs in the background) and is never left running.
# Exit 0 when every check passed, 1 otherwise (each failure is printed). Bounded: about 30 s.
set -euo pipefail
stack=${1:-dovecot-postfix}
interop=$(cd "$(dirname "$0")/../../ci/interop" && pwd)
repo=$(cd "$interop/../.." && pwd)
case $stack in
  dovecot-postfix) scripts=$interop ;;
  cyrus-exim) scripts=$interop/cyrus-exim ;;
  *) echo "usage: $0 [dovecot-postfix|cyrus-exim]" >&2; exit 2 ;;
esac
tmp=$(mktemp -d)
trap 'rm -rf -- "$tmp"' EXIT
failures=0
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
check() { # check NAME EXPECTED_RC EXPECTED_TEXT CMD...: runs CMD, compares exit status and output.
  local name=$1 want_rc=$2 want_text=$3 out rc=0
  shift 3
  out=$("$@" 2>&1) || rc=$?
  if [ "$rc" -ne "$want_rc" ] || [[ $out != *"$want_text"* ]]; then
    fail "$name: exit $rc (expected $want_rc), output: $out (expected to contain: $want_text)"
  else
    echo "ok   $name"
  fi
}

# ----- usage and exit codes ---------------------------------------------------------------------
check "start.sh usage" 2 "usage:" "$scripts/start.sh" a b
check "start.sh option" 2 "usage:" "$scripts/start.sh" --help
check "stop.sh usage" 2 "usage:" "$scripts/stop.sh" a b
check "stop.sh missing dir" 0 "nothing to stop" "$scripts/stop.sh" "$tmp/absent"
mkdir -p "$tmp/empty"
check "stop.sh idle dir" 0 "stopped" "$scripts/stop.sh" "$tmp/empty"
check "with-servers.sh usage" 2 "usage:" "$scripts/with-servers.sh" "$tmp/run" true
check "run-library.sh usage" 2 "usage:" "$scripts/run-library.sh" a b
check "smoke.py usage" 2 "usage:" python3 "$scripts/smoke.py" a b
check "smoke.py no env" 2 "run ${scripts#"$repo"/}/start.sh" python3 "$scripts/smoke.py" "$tmp/empty"
printf 'INTEROP_HOST=127.0.0.1\nnot a pair\n' >"$tmp/empty/interop.env"
check "smoke.py bad env line" 2 "interop.env:2: expected KEY=VALUE" python3 "$scripts/smoke.py" "$tmp/empty"
rm "$tmp/empty/interop.env"
if [ "$(id -u)" -ne 0 ]; then
  check "with-servers.sh not root" 77 "skipped:" "$scripts/with-servers.sh" "$tmp/run" -- true
elif command -v setpriv >/dev/null; then
  check "with-servers.sh not root" 77 "skipped:" \
    setpriv --reuid=nobody --regid=nogroup --clear-groups "$scripts/with-servers.sh" "$tmp/run" -- true
fi

case $stack in
  dovecot-postfix)
    check "run-mailspec.sh usage" 2 "usage:" "$scripts/run-mailspec.sh" a b
    if [ "$(id -u)" -eq 0 ] && command -v dovecot >/dev/null && command -v postfix >/dev/null; then
      mkdir -p "$tmp/foreign" && echo keep >"$tmp/foreign/precious.txt"
      check "start.sh foreign dir" 1 "refusing to use it" "$scripts/start.sh" "$tmp/foreign"
      check "start.sh odd path" 1 "may hold only" "$scripts/start.sh" "$tmp/with space"
      [ -f "$tmp/foreign/precious.txt" ] || fail "start.sh deleted a foreign file"
    fi ;;
  cyrus-exim)
    check "fetch.sh usage" 2 "usage:" "$scripts/fetch.sh" a b
    # A namespace record naming this very namespace must never make stop.sh kill anything.
    mkdir -p "$tmp/self/ns"
    readlink /proc/self/ns/mnt >"$tmp/self/ns/mnt-id"
    check "stop.sh own namespace" 0 "stopped" "$scripts/stop.sh" "$tmp/self"
    if [ "$(id -u)" -eq 0 ]; then
      mkdir -p "$tmp/foreign" && echo keep >"$tmp/foreign/precious.txt"
      # MAILSPEC_CYRUS_EXIM_ROOT is left as it is: start.sh fetches (or finds cached) before it
      # looks at the run directory, and then refuses it.
      check "start.sh foreign dir" 1 "refusing to use it" "$scripts/start.sh" "$tmp/foreign"
      [ -f "$tmp/foreign/precious.txt" ] || fail "start.sh deleted a foreign file"
    fi ;;
esac

# ----- templates and ports ----------------------------------------------------------------------
# Every placeholder in the templates is one start.sh (or the shared interop_render) replaces.
before=$failures
known=$(cat "$scripts/start.sh" "$interop/lib/start-helpers.sh" | grep -o '@[A-Z_]*@|' | tr -d '|' | sort -u)
for placeholder in $(grep -ho '@[A-Z_]*@' "$scripts"/templates/*.in | sort -u); do
  grep -qx -- "$placeholder" <<<"$known" ||
    fail "template placeholder $placeholder is not replaced by start.sh"
done
[ "$failures" -eq "$before" ] && echo "ok   template placeholders"

# The target profile names the ports the scripts start.
before=$failures
# shellcheck source=/dev/null
ports=$(. "$scripts/common.sh" && echo "$INTEROP_STACK_PORTS")
target=$(. "$scripts/common.sh" && echo "$INTEROP_STACK_TARGET")
set -- smtp submission submissions pop3 pop3s imap imaps
for port in $ports; do
  grep -Eq "<endpoint name=\"$1\" .*port=\"$port\"" "$repo/fixtures/targets/$target.xml" ||
    fail "fixtures/targets/$target.xml: endpoint $1 does not have port $port (${scripts#"$repo"/}/common.sh)"
  shift
done
[ $# -eq 0 ] || fail "${scripts#"$repo"/}/common.sh: INTEROP_STACK_PORTS lacks the ports of: $*"
[ "$failures" -eq "$before" ] && echo "ok   target ports match common.sh"

# ----- with-servers.sh over stand-in servers ------------------------------------------------------
# The stand-in stack: the real with-servers.sh of this stack and the real lib/common.sh, with a
# description whose start.sh / stop.sh only log to RUN/events (and start.sh exits RUN/start-rc).
fake=$tmp/fake
mkdir -p "$fake"
cp "$scripts/with-servers.sh" "$fake/with-servers.sh"
cat >"$fake/common.sh" <<EOF
INTEROP_STACK_DIR=$fake
. "$interop/lib/common.sh"
INTEROP_LOG_PREFIX=fake INTEROP_STACK_SERVERS="stand-ins" INTEROP_STACK_PORTS=""
INTEROP_STACK_LOCK=$tmp/fake.lock INTEROP_STACK_DEFAULT_RUN=$tmp/fake-run
interop_stack_precheck() { :; }
EOF
cat >"$fake/start.sh" <<'EOF'
#!/usr/bin/env bash
mkdir -p "$1" && echo starting >>"$1/events"
[ ! -e "$1/start-slow" ] || sleep 2
echo started >>"$1/events"
exit "$(cat "$1/start-rc" 2>/dev/null || echo 0)"
EOF
cat >"$fake/stop.sh" <<'EOF'
#!/usr/bin/env bash
echo stopped >>"$1/events"
EOF
# The command: logs that it runs and each signal, then stays 20 s; "stubborn" ignores SIGTERM.
cat >"$fake/cmd.sh" <<'EOF'
#!/usr/bin/env bash
events=$1 mode=$2
trap 'echo "cmd got INT" >>"$events"; exit 130' INT
if [ "$mode" = stubborn ]; then
  trap 'echo "cmd got TERM" >>"$events"' TERM
else
  trap 'echo "cmd got TERM" >>"$events"; exit 143' TERM
fi
echo "cmd $$ runs" >>"$events"
for _ in $(seq 200); do sleep 0.1; done
echo "cmd ended by itself" >>"$events"
EOF
chmod +x "$fake"/*.sh

# wait_for FILE TEXT TENTHS: true once FILE holds a line TEXT (bounded).
wait_for() {
  local tenths=$3
  while ((tenths-- > 0)); do
    grep -qx -- "$2" "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

# wait_exit PID SECONDS: reaps the background job PID and sets rc to its status; when it runs
# longer than SECONDS it is killed first (rc 137) and false is returned.
wait_exit() {
  local tenths=$(($2 * 10)) status=0
  while kill -0 "$1" 2>/dev/null && ((tenths-- > 0)); do sleep 0.1; done
  if kill -0 "$1" 2>/dev/null; then
    kill -KILL "$1" 2>/dev/null || true
    status=1
  fi
  rc=0
  wait "$1" || rc=$?
  return $status
}

# running PID: true while PID runs (an ended process not yet reaped, a zombie, does not count).
running() {
  local state
  state=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1) || return 1
  [ -n "$state" ] && [ "$state" != Z ]
}

run=$tmp/ws-status
check "with-servers.sh passes CMD's status on" 3 "" "$fake/with-servers.sh" "$run" -- sh -c 'exit 3'
[ "$(cat "$run/events")" = "$(printf 'starting\nstarted\nstopped')" ] ||
  fail "with-servers.sh: expected start, then one stop; events: $(tr '\n' ' ' <"$run/events")"
run=$tmp/ws-skip
mkdir -p "$run" && echo 77 >"$run/start-rc"
check "with-servers.sh passes start.sh's 77 on" 77 "" "$fake/with-servers.sh" "$run" -- \
  sh -c "echo cmd >>'$run/events'"
[ "$(cat "$run/events")" = "$(printf 'starting\nstarted')" ] ||
  fail "with-servers.sh ran CMD or stop.sh after start.sh failed"
# SIGTERM while start.sh runs: start.sh ends, then the servers are stopped, CMD never runs.
run=$tmp/ws-term-in-start
mkdir -p "$run" && touch "$run/start-slow"
env --default-signal=INT,QUIT "$fake/with-servers.sh" "$run" -- sh -c "echo cmd >>'$run/events'" \
  >"$run/out" 2>&1 &
ws=$!
if wait_for "$run/events" starting 50; then
  kill -TERM "$ws"
  wait_exit "$ws" 10 || true
  if [ "$rc" -eq 143 ] && [ "$(cat "$run/events")" = "$(printf 'starting\nstarted\nstopped')" ]; then
    echo "ok   with-servers.sh sigterm during start.sh"
  else
    fail "with-servers.sh sigterm during start.sh: exit $rc (expected 143); events: $(tr '\n' ' ' <"$run/events")"
  fi
else
  fail "with-servers.sh sigterm during start.sh: start.sh did not run within 5 s"
  kill -KILL "$ws" 2>/dev/null || true
fi

# signal_case NAME SIGNAL MODE STATUS: with-servers.sh around cmd.sh MODE gets SIGNAL while CMD runs;
# the servers must be stopped within 3 s, CMD must get SIGNAL, with-servers.sh must exit STATUS
# within 10 s (CMD has 5 s once the servers are stopped), and CMD must not be left running.
signal_case() {
  local name=$1 sig=$2 mode=$3 want=$4 run=$tmp/ws-$1 ws cmd_pid before=$failures
  mkdir -p "$run"
  # SIGINT is ignored in a background job of a script: give it back, as a terminal would have it.
  env --default-signal=INT,QUIT "$fake/with-servers.sh" "$run" -- "$fake/cmd.sh" "$run/events" "$mode" \
    >"$run/out" 2>&1 &
  ws=$!
  if ! wait_for "$run/events" "cmd [0-9]* runs" 50; then
    fail "with-servers.sh $name: CMD did not start within 5 s"
    kill -KILL "$ws" 2>/dev/null || true
    return
  fi
  cmd_pid=$(sed -n 's/^cmd \([0-9]*\) runs$/\1/p' "$run/events")
  kill -"$sig" "$ws"
  wait_for "$run/events" stopped 30 ||
    fail "with-servers.sh $name: servers not stopped within 3 s of SIG$sig"
  wait_exit "$ws" 10 || fail "with-servers.sh $name: still running 10 s after SIG$sig"
  [ "$rc" -eq "$want" ] || fail "with-servers.sh $name: exit $rc (expected $want)"
  grep -qx "cmd got $sig" "$run/events" || fail "with-servers.sh $name: CMD did not get SIG$sig"
  [ "$(grep -c '^stopped$' "$run/events")" -eq 1 ] ||
    fail "with-servers.sh $name: servers not stopped exactly once"
  ! grep -q "ended by itself" "$run/events" || fail "with-servers.sh $name: CMD was not interrupted"
  if running "$cmd_pid"; then
    fail "with-servers.sh $name: CMD (pid $cmd_pid) left running"
    kill -KILL "$cmd_pid" 2>/dev/null || true
  fi
  if [ "$failures" -eq "$before" ]; then
    echo "ok   with-servers.sh $name"
  else
    echo "     events: $(tr '\n' ' ' <"$run/events")"
    echo "     output: $(cat "$run/out")"
  fi
}
signal_case sigterm TERM polite 143
signal_case sigint INT polite 130
signal_case sigterm-stubborn-cmd TERM stubborn 143
grep -q "still runs 5 s after SIGTERM; sending SIGKILL" "$tmp/ws-sigterm-stubborn-cmd/out" ||
  fail "with-servers.sh: no word of the SIGKILL for a CMD that ignores SIGTERM"

echo "$failures failure(s)"
[ "$failures" -eq 0 ]
