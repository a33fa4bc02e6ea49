#!/usr/bin/env python3
"""Reports survive any bytes (issue 9 §6): `mailspec run` and `mailspec probe` against
hostile_server.py, whose every reply carries NUL, controls, lone surrogates, overlong UTF-8,
U+FFFE/U+FFFF, bytes past U+10FFFF and random bytes (and, in the second round, a 10 MB line).
The JUnit files must be well-formed XML and valid against junit-10.xsd, the probe's JSON must be
strict UTF-8 JSON, and the hostile bytes must be shown escaped (not dropped).

    hostile_reports_test.py MAILSPEC SOURCE_DIR [JUNIT_XSD]

Exit codes: 0 pass, 1 a check failed, 2 the harness could not run. Every wait is bounded.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ElementTree

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "integration", "support"))
from mailspec_process import Checker  # noqa: E402

READY_TIMEOUT = 15
RUN_TIMEOUT = 300

checker = Checker("hostile reports")
check = checker.check


def start_server(work, huge):
    ready = os.path.join(work, "ready-%s" % ("huge" if huge else "plain"))
    command = [sys.executable, os.path.join(HERE, "hostile_server.py"), "--ready-file", ready, "--lifetime", "600"]
    if huge:
        command.append("--huge")
    process = subprocess.Popen(command)
    deadline = time.monotonic() + READY_TIMEOUT
    while not os.path.exists(ready):
        if time.monotonic() > deadline or process.poll() is not None:
            process.kill()
            raise RuntimeError("hostile_server.py did not start within %d s" % READY_TIMEOUT)
        time.sleep(0.05)
    with open(ready) as f:
        ports = dict(word.split("=") for word in f.read().split())
    return process, {name: int(port) for name, port in ports.items()}


def write_target(work, ports):
    path = os.path.join(work, "hostile-target.xml")
    with open(path, "w") as f:
        f.write('<target name="hostile" host="127.0.0.1">\n')
        # Every endpoint the library names; the TLS ones meet a server that never answers TLS.
        for name, protocol, tls in (("smtp", "smtp", "plain"), ("submission", "smtp", "plain"),
                                    ("submissions", "smtp", "implicit"), ("pop3", "pop3", "plain"),
                                    ("pop3s", "pop3", "implicit"), ("imap", "imap", "plain"),
                                    ("imaps", "imap", "implicit")):
            f.write('  <endpoint name="%s" protocol="%s" port="%d" tls="%s"/>\n' % (name, protocol, ports[protocol], tls))
        f.write('  <user id="user" login="tess" password="hostile pw" address="tess@hostile.test"/>\n'
                '  <user id="user2" login="uma" password="pw2" address="uma@hostile.test"/>\n'
                '  <var name="domain" value="hostile.test"/>\n</target>\n')
    return path


def validate_junit(path, xsd, label):
    try:
        root = ElementTree.parse(path).getroot()
        check(root.tag == "testsuites", "%s: well-formed JUnit XML" % label)
    except ElementTree.ParseError as error:
        check(False, "%s: JUnit is not well-formed XML: %s" % (label, error))
        return ""
    if xsd:
        result = subprocess.run(["xmllint", "--noout", "--schema", xsd, path], capture_output=True, timeout=120)
        check(result.returncode == 0, "%s: valid against junit-10.xsd %s" % (label, result.stderr.decode()[-300:]))
    # The text a reader sees: every element's text and every attribute value, as parsed.
    parts = []
    for element in root.iter():
        parts.extend(element.attrib.values())
        parts.append(element.text or "")
    return "\n".join(parts)


def run(command, label):
    started = time.monotonic()
    result = subprocess.run(command, capture_output=True, timeout=RUN_TIMEOUT)
    print("%s: exit %d in %.1f s" % (label, result.returncode, time.monotonic() - started), flush=True)
    if result.returncode not in (0, 1):
        print(result.stderr.decode(errors="replace")[-2000:])
    return result


def main():
    if len(sys.argv) not in (3, 4):
        print(__doc__, file=sys.stderr)
        return 2
    mailspec, source = sys.argv[1], sys.argv[2]
    xsd = sys.argv[3] if len(sys.argv) == 4 and os.path.exists(sys.argv[3]) else None
    if not xsd:
        print("note: junit-10.xsd not found; checking well-formedness only")
    work = tempfile.mkdtemp(prefix="mailspec-hostile-")
    servers = []
    try:
        server, ports = start_server(work, huge=False)
        servers.append(server)
        target = write_target(work, ports)
        junit = os.path.join(work, "run.xml")
        scenarios = [os.path.join(source, "scenarios", p) for p in
                     ("smtp/5321-session.xml", "pop3/1939-core.xml", "imap/3501-any-state.xml")]
        # Preflight sees the TLS endpoints fail: exit 3, and its report must survive the bytes too.
        result = run([mailspec, "run", "--target", target, "--junit", junit] + scenarios, "run with preflight")
        check(result.returncode == 3, "preflight stopped the run (exit 3, got %d)" % result.returncode)
        validate_junit(junit, xsd, "preflight")
        result = run([mailspec, "run", "--no-preflight", "--target", target, "-j", "4", "--junit", junit] + scenarios,
                     "run")
        check(result.returncode == 1, "mailspec run judged the hostile server (exit 1, got %d)" % result.returncode)
        text = validate_junit(junit, xsd, "run")
        check("<0xED><0xA0><0x80>" in text, "run: the lone surrogate is shown escaped in the report")
        check("<0x00>" in text, "run: NUL is shown escaped in the report")

        probe_json = os.path.join(work, "probe.json")
        probe_junit = os.path.join(work, "probe.xml")
        ports_arg = ",".join(str(ports[n]) for n in ("smtp", "pop3", "imap"))
        result = run([mailspec, "probe", "127.0.0.1", "--ports", ports_arg, "--json", probe_json,
                      "--junit", probe_junit], "probe")
        check(result.returncode in (0, 1), "mailspec probe finished (exit %d)" % result.returncode)
        try:
            with open(probe_json, "rb") as f:
                document = json.loads(f.read().decode("utf-8", errors="strict"))
            check(isinstance(document, dict), "probe: JSON is strict UTF-8 and parses")
        except (OSError, UnicodeDecodeError, ValueError) as error:
            check(False, "probe: JSON unreadable: %s" % error)
        validate_junit(probe_junit, xsd, "probe")

        server, ports = start_server(work, huge=True)
        servers.append(server)
        target = write_target(work, ports)
        junit = os.path.join(work, "huge.xml")
        result = run([mailspec, "run", "--no-preflight", "--target", target, "--junit", junit,
                      os.path.join(source, "scenarios", "smtp", "5321-session.xml")], "run, 10 MB lines")
        check(result.returncode in (1, 2) and result.returncode != -11,
              "mailspec run against 10 MB reply lines ends with a verdict (exit %d)" % result.returncode)
        if result.returncode == 1:
            validate_junit(junit, xsd, "run, 10 MB lines")
    except (RuntimeError, subprocess.TimeoutExpired) as error:
        print("ERROR %s" % error, file=sys.stderr)
        return 2
    finally:
        for server in servers:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
        shutil.rmtree(work, ignore_errors=True)
    return checker.done()


if __name__ == "__main__":
    sys.exit(main())
