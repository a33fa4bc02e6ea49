#!/usr/bin/env bash
# End-to-end tests of the mailspec executable: exit codes, messages, JUnit, the embedded-default
# spawn (with fake_server.py standing in for mailspec-server), --spawn, known failures, and no
# orphan server after SIGTERM. Usage: cli_test.sh CASE MAILSPEC SOURCE_DIR SCHEMA
# Exit 0 pass, 1 fail, 77 skipped (ctest SKIP_RETURN_CODE).
set -u
case_name=$1 mailspec=$2 src=$3 schema=$4
here="$src/tests/harness/cli"
fake="$here/fake_server.py"
work=$(mktemp -d /tmp/mailspec-cli-test.XXXXXX)
trap 'rm -rf "$work"' EXIT
out="$work/out.txt"

fail() { echo "FAIL: $*"; echo "--- output:"; cat "$out"; exit 1; }
# run_ms EXPECTED_RC ARGS... : runs mailspec with a hard limit, checks the exit code.
run_ms() {
  local want=$1; shift
  timeout 60 "$mailspec" "$@" >"$out" 2>&1
  local rc=$?
  [ "$rc" -eq "$want" ] || fail "mailspec $* exited $rc, expected $want"
}
has() { grep -qF -- "$1" "$out" || fail "output lacks: $1"; }

case "$case_name" in
  check-samples)
    run_ms 0 check "$src/scenarios/samples"
    has "checked 3 scenario(s) in 3 file(s): 0 error(s)" ;;
  check-broken)
    run_ms 2 check "$here/broken"
    has "unknown-element.xml:4: unknown element <sned>"
    has "bad-regex.xml:3: bad regex /^(220/"
    has "bad-regex.xml:4: undefined variable \${nobody.address}" ;;
  run-broken-file)
    run_ms 2 run --target "$src/fixtures/targets/local.xml" "$here/broken/unknown-element.xml"
    has "unknown-element.xml:4: unknown element <sned>"
    has "nothing was run" ;;
  run-no-selection)
    run_ms 2 run --target "$src/fixtures/targets/local.xml" --tag no-such-tag "$here/scenarios"
    has "no scenario selected" ;;
  run-bad-target)
    run_ms 2 run --target "$here/broken/unknown-element.xml" "$here/scenarios"
    has "unknown-element.xml:1: root element <scenario>: expected <target>" ;;
  run-missing-path)
    run_ms 2 run --target "$src/fixtures/targets/local.xml" "$work/none"
    has "no such file or folder" ;;
  junit-unwritable)
    run_ms 2 run --target "$src/fixtures/targets/local.xml" --junit "$work/no/such/dir/j.xml" "$here/scenarios"
    has "cannot write JUnit file" ;;
  usage-error)
    run_ms 2 run --jobs 0 "$here/scenarios" ;;
  embedded-pass)
    MAILSPEC_SERVER="$fake" run_ms 0 run --tag cli --junit "$work/junit.xml" "$here/scenarios"
    has "PASS  cli.ehlo"
    has "SKIP  cli.chunking"
    MAILSPEC_SERVER="$fake" run_ms 0 run --tag cli --verbose "$here/scenarios"
    has "        C: EHLO example.test<CR><LF>"
    has "the server does not advertise CHUNKING"
    tail -n 1 "$out" | grep -qx "1 passed, 0 failed, 1 skipped, 0 errors" || fail "last line is not the summary"
    [ -s "$work/junit.xml" ] || fail "no JUnit file" ;;
  junit-schema)
    [ -f "$schema" ] || { echo "SKIP: JUnit schema not found at $schema (shared/ beside the checkout)"; exit 77; }
    MAILSPEC_SERVER="$fake" run_ms 1 run --tag cli --tag cli-fail --junit "$work/junit.xml" "$here/scenarios"
    xmllint --noout --schema "$schema" "$work/junit.xml" >"$out" 2>&1 || fail "JUnit file does not validate"
    grep -q '<failure message="wrong reply code"' "$work/junit.xml" || { cp "$work/junit.xml" "$out"; fail "no failure element"; }
    grep -q '<skipped message=' "$work/junit.xml" || { cp "$work/junit.xml" "$out"; fail "no skipped element"; } ;;
  embedded-fail)
    MAILSPEC_SERVER="$fake" run_ms 1 run --tag cli-fail "$here/scenarios"
    has "FAIL  cli.wrong-code"
    has "wrong-code.xml:5: wrong reply code"
    has "expected: reply code 251"
    has "actual:   250 (250 2.0.0 ok<CR><LF>)"
    has "RFC 5321#4.1.1.9 (MUST)"
    has "C: NOOP<CR><LF>"
    has "0 passed, 1 failed, 0 skipped, 0 errors" ;;
  server-arg)
    MAILSPEC_SERVER="$fake" run_ms 1 run --tag cli --server-arg=--fault=wrong-noop "$here/scenarios"
    has "554 5.0.0 broken NOOP" ;;
  known-failures)
    MAILSPEC_SERVER="$fake" run_ms 0 run --tag cli --tag cli-fail --known-failures "$here/known-failures.xml" "$here/scenarios"
    has "XFAIL cli.wrong-code"
    has "XPASS cli.ehlo"
    has "1 xfailed, 1 xpassed"
    has "known-failures.xml:4: warning: known failure 'cli.renamed-long-ago' matches no loaded scenario"
    tail -n 1 "$out" | grep -qx "0 passed, 0 failed, 1 skipped, 0 errors" || fail "last line is not the summary"
    MAILSPEC_SERVER="$fake" run_ms 1 run --tag cli --known-failures "$here/known-failures.xml" --strict-xpass "$here/scenarios" ;;
  spawn)
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    printf '<target name="spawned" host="127.0.0.1">\n  <endpoint name="smtp" protocol="smtp" port="%s"/>\n  <var name="domain" value="example.test"/>\n</target>\n' "$port" >"$work/target.xml"
    run_ms 0 run --target "$work/target.xml" --spawn "python3 $fake --port $port" --ready-line "^mailspec-server ready" --tag cli "$here/scenarios"
    has "PASS  cli.ehlo" ;;
  spawn-not-ready)
    start=$(date +%s)
    run_ms 2 run --target "$src/fixtures/targets/local.xml" --spawn "sleep 30" --ready-timeout 1 --tag cli "$here/scenarios"
    has "printed no line matching"
    [ $(( $(date +%s) - start )) -le 5 ] || fail "the readiness wait took too long" ;;
  embedded-crash)
    MAILSPEC_SERVER=/bin/false run_ms 2 run --tag cli "$here/scenarios"
    has "before it was ready"
    MAILSPEC_SERVER="$work/no-such-server" run_ms 2 run --tag cli "$here/scenarios"
    has "cannot start" ;;
  no-orphan|no-orphan-sigint)
    if [ "$case_name" = no-orphan ]; then sig=TERM want=143; else sig=INT want=130; fi
    MAILSPEC_SERVER="$fake" timeout 60 "$mailspec" run --tag cli-slow --server-arg=--pid-file="$work/pid" "$here/scenarios" >"$out" 2>&1 &
    ms=$!
    for _ in $(seq 1 100); do [ -s "$work/pid" ] && break; sleep 0.1; done
    [ -s "$work/pid" ] || fail "the fake server never started"
    server=$(cat "$work/pid")
    sleep 0.3
    kill -"$sig" "$ms"
    wait "$ms"; rc=$?
    [ "$rc" -eq "$want" ] || fail "mailspec exited $rc after SIG$sig, expected $want"
    for _ in $(seq 1 50); do kill -0 "$server" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$server" 2>/dev/null; then kill -KILL "$server"; fail "server $server survived mailspec"; fi ;;
  interrupted-report)
    # The first SIGINT stops the run but still writes the JUnit file, whole, with what has run
    # and an error case saying it was interrupted; exit 130.
    MAILSPEC_SERVER="$fake" timeout 60 "$mailspec" run -j 1 --tag cli --tag cli-slow --junit "$work/j.xml" \
      --server-arg=--pid-file="$work/pid" "$here/scenarios" >"$out" 2>&1 &
    ms=$!
    for _ in $(seq 1 100); do grep -q "PASS  cli.ehlo" "$out" && break; sleep 0.1; done
    grep -q "PASS  cli.ehlo" "$out" || fail "cli.ehlo never finished"
    sleep 0.3
    kill -INT "$ms"
    wait "$ms"; rc=$?
    [ "$rc" -eq 130 ] || fail "mailspec exited $rc after SIGINT, expected 130"
    has "run interrupted by SIGINT"
    [ -s "$work/j.xml" ] || fail "no JUnit file after SIGINT"
    grep -q 'name="run.interrupted"' "$work/j.xml" || fail "the JUnit file is not marked interrupted"
    grep -q 'name="cli.ehlo"' "$work/j.xml" || fail "the JUnit file lacks the scenario that ran"
    if [ -f "$schema" ]; then xmllint --noout --schema "$schema" "$work/j.xml" >>"$out" 2>&1 || fail "JUnit invalid"; fi
    ls "$work" | grep -q "j.xml.tmp" && fail "a temporary report file was left behind"
    [ -s "$work/pid" ] && ! kill -0 "$(cat "$work/pid")" 2>/dev/null || fail "the server survived" ;;
  epipe-report)
    # The console's reader goes away (EPIPE): the run stops and the JUnit file is still written.
    ( MAILSPEC_SERVER="$fake" timeout 60 "$mailspec" run -j 1 --tag cli --tag cli-slow --junit "$work/j.xml" \
        "$here/scenarios" 2>"$out"; echo $? >"$work/rc" ) | head -c 1 >/dev/null
    rc=$(cat "$work/rc")
    [ "$rc" -eq 141 ] || fail "mailspec exited $rc after EPIPE, expected 141 (128 + SIGPIPE)"
    has "run interrupted by SIGPIPE (output closed)"
    grep -q 'name="run.interrupted"' "$work/j.xml" || fail "the JUnit file is not marked interrupted"
    if [ -f "$schema" ]; then xmllint --noout --schema "$schema" "$work/j.xml" >>"$out" 2>&1 || fail "JUnit invalid"; fi ;;
  junit-no-empty-file)
    # The check that the JUnit file can be written leaves no file behind when the run stops early.
    run_ms 2 run --target "$src/fixtures/targets/local.xml" --junit "$work/j.xml" "$here/broken/unknown-element.xml"
    [ -e "$work/j.xml" ] && fail "an empty JUnit file was left behind"
    true ;;
  embedded-samples)
    [ -x "$(dirname "$mailspec")/mailspec-server" ] || { echo "SKIP: mailspec-server not built"; exit 77; }
    run_ms 0 run "$src/scenarios/samples"
    has "3 passed, 0 failed, 0 skipped, 0 errors" ;;
  target-partial)
    # A target as users have one: smtp only (on a closed port), one user, password from the
    # environment. What needs more is SKIP with the reason, before any connection (a connection
    # to the closed port would be an ERROR).
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    printf '<target name="partial" host="127.0.0.1">\n  <endpoint name="smtp" protocol="smtp" port="%s"/>\n  <user id="user" login="carol" password="${env:CLI_TEST_PASSWORD}"/>\n</target>\n' "$port" >"$work/target.xml"
    printf '<scenario id="cli.second-user" protocol="smtp"><connect endpoint="smtp"/><expect code="220"/>\n<send>RCPT TO:&lt;${user2.address}&gt;</send><expect code="250"/></scenario>\n' >"$work/second-user.xml"
    # --no-preflight: the closed port is the tripwire here (preflight-down tests what it says).
    CLI_TEST_PASSWORD='s p"a\ce' run_ms 0 run --no-preflight --target "$work/target.xml" "$src/scenarios/pop3" "$work/second-user.xml"
    has "target has no pop3 endpoint"
    has "target has no pop3s endpoint"
    has "target has no second user (user id 'user2')"
    tail -n 1 "$out" | grep -qE "^0 passed, 0 failed, [0-9]+ skipped, 0 errors$" || fail "expected only SKIPs" ;;
  preflight-down)
    # A server that is down: one line per endpoint in use, exit 3, nothing run, a JUnit saying so.
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    printf '<target name="down" host="127.0.0.1">\n  <endpoint name="smtp" protocol="smtp" port="%s"/>\n</target>\n' "$port" >"$work/target.xml"
    run_ms 3 run --target "$work/target.xml" --junit "$work/j.xml" --tag cli "$here/scenarios"
    has "mailspec: preflight: cannot connect to smtp (127.0.0.1:$port)"
    has "is not ready (1 problem(s) above); nothing was run"
    grep -q 'name="preflight.1"' "$work/j.xml" || fail "the JUnit file does not hold the preflight problem"
    if [ -f "$schema" ]; then xmllint --noout --schema "$schema" "$work/j.xml" >>"$out" 2>&1 || fail "JUnit invalid"; fi
    grep -q "PASS\|FAIL\|ERROR " "$out" && fail "a scenario ran after a failed preflight"
    true ;;
  preflight-login)
    # A wrong password is one message naming the endpoint, the user and the server's answer.
    server_bin="$(dirname "$mailspec")/mailspec-server"
    [ -x "$server_bin" ] || { echo "SKIP: mailspec-server not built"; exit 77; }
    "$server_bin" --ephemeral --write-target "$work/t.xml" >"$work/server.out" 2>&1 &
    srv=$!
    for _ in $(seq 1 100); do grep -q ready "$work/server.out" && break; sleep 0.1; done
    run_ms 3 run --target "$work/t.xml" --user 'user:alice:not the password' "$src/scenarios/samples"
    kill "$srv"; wait "$srv" 2>/dev/null
    has "mailspec: preflight: cannot log in to imaps 127.0.0.1:"
    has "as user 'user' (alice)"
    has "[AUTHENTICATIONFAILED]"
    grep -q "not the password" "$out" && fail "the password was printed"
    true ;;
  env-and-user-errors)
    printf '<target name="t" host="127.0.0.1">\n  <endpoint name="smtp" protocol="smtp" port="25"/>\n  <user id="user" login="carol" password="${env:CLI_TEST_UNSET}"/>\n</target>\n' >"$work/target.xml"
    unset CLI_TEST_UNSET
    run_ms 2 run --target "$work/target.xml" "$here/scenarios"
    has "target.xml:3: password: environment variable 'CLI_TEST_UNSET' is not set"
    run_ms 2 run --target "$src/fixtures/targets/local.xml" --user nocolon "$here/scenarios"
    has "expected ID:LOGIN:PASSWORD"
    run_ms 2 run --user user:carol:pw "$here/scenarios"
    has "--user needs --target" ;;
  secrets)
    # The real server, AUTH PLAIN of alice/secret1: redacted unless --show-secrets.
    [ -x "$(dirname "$mailspec")/mailspec-server" ] || { echo "SKIP: mailspec-server not built"; exit 77; }
    run_ms 0 run -v --junit "$work/junit.xml" --id smtp.4954.auth.plain-initial-response --id pop3.1939.user-pass "$src/scenarios"
    has "C: AUTH PLAIN <redacted><CR><LF>"
    grep -qF -e "AGFsaWNlAHNlY3JldDE=" -e "secret" "$out" "$work/junit.xml" && fail "a secret is in the console or JUnit output"
    grep -qF "&lt;redacted" "$work/junit.xml" || fail "no <redacted> in the JUnit transcript"
    run_ms 0 run -v --show-secrets --id smtp.4954.auth.plain-initial-response "$src/scenarios"
    has "C: AUTH PLAIN AGFsaWNlAHNlY3JldDE=<CR><LF>" ;;
  check-credentials)
    printf '<scenario id="c" protocol="smtp"><connect endpoint="smtp"/>\n<send>AUTH PLAIN AGFsaWNlAHNlY3JldDE=</send>\n<send>MAIL FROM:&lt;alice@example.test&gt;</send>\n<send>AUTH PLAIN ${sasl-plain:user}</send></scenario>\n' >"$work/creds.xml"
    run_ms 2 check "$work/creds.xml"
    has "creds.xml:2: a base64 literal in <send> holds a credential of target user 'user'"
    has "creds.xml:3: literal 'alice@example.test' in <send> is the target's \${user.address}"
    has "checked 1 scenario(s) in 1 file(s): 2 error(s)" ;;
  policy-modes)
    # issue 9 item 4: a policy finding (an open relay, severity error) is reported apart from the
    # conformance results; --policy decides whether it fails the run.
    [ -x "$(dirname "$mailspec")/mailspec-server" ] || { echo "SKIP: mailspec-server not built"; exit 77; }
    sel=(--no-preflight --server-arg=--fault=smtp.open-relay --id security.smtp.no-open-relay --id smtp.5321.noop)
    run_ms 0 run "${sel[@]}" --junit "$work/j.xml" "$src/scenarios"
    has "FAIL  security.smtp.no-open-relay"
    has "[policy error]"
    [ "$(tail -n 2 "$out" | head -n 1)" = "policy: 0 passed, 1 failed (1 error, 0 warning, 0 info), 0 skipped, 0 errors" ] \
      || fail "the policy summary is not the line before the last"
    [ "$(tail -n 1 "$out")" = "1 passed, 0 failed, 0 skipped, 0 errors" ] || fail "the last line must count conformance only"
    grep -q '<testsuite name="security (policy)"' "$work/j.xml" || fail "no policy testsuite in the JUnit file"
    grep -q 'message="policy error: ' "$work/j.xml" || fail "the policy failure does not say its severity"
    if [ -f "$schema" ]; then xmllint --noout --schema "$schema" "$work/j.xml" >>"$out" 2>&1 || fail "JUnit invalid"; fi
    run_ms 1 run "${sel[@]}" --policy=fail "$src/scenarios"
    has "policy: 0 passed, 1 failed (1 error"
    run_ms 0 run "${sel[@]}" --policy=off "$src/scenarios"
    grep -q "no-open-relay\|^policy:" "$out" && fail "--policy=off still ran the policy scenario"
    run_ms 2 run "${sel[@]}" --policy=maybe "$src/scenarios"
    true ;;
  check-judges)
    printf '<scenario id="a" protocol="smtp" judges="deployment"><connect endpoint="smtp"/></scenario>\n<scenario id="b" protocol="smtp" judges="policy"><connect endpoint="smtp"/></scenario>\n<scenario id="c" protocol="smtp" severity="warning"><connect endpoint="smtp"/></scenario>\n<scenario id="d" protocol="smtp" judges="policy" severity="low"><connect endpoint="smtp"/></scenario>\n' >"$work/judges.xml"
    printf '<suite name="s">%s</suite>\n' "$(cat "$work/judges.xml")" >"$work/judges-suite.xml"
    run_ms 2 check "$work/judges-suite.xml"
    has "judges-suite.xml:1: judges='deployment': expected conformance or policy"
    has "judges-suite.xml:2: judges=\"policy\" needs severity=\"error|warning|info\""
    has "judges-suite.xml:3: severity= weighs a policy finding; it needs judges=\"policy\""
    has "judges-suite.xml:4: severity='low': expected error, warning or info" ;;
  *) echo "unknown case $case_name"; exit 1 ;;
esac
echo "ok: $case_name"
