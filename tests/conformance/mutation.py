#!/usr/bin/env python3
"""Mutation proof of the mailspec conformance library (issue 5, "Proof of each check").

For every reference-server fault named by some scenario's proves="..." attribute, run the scenarios
that claim it against `mailspec run --server-arg=--fault=NAME` and assert that each of them FAILs;
run the whole library once against the clean server and assert nothing FAILs or ERRORs. Print a
table, list MUST scenarios that no fault proves ("unproven"), and compute the mutation score:

    faults caught  = faults for which at least one claiming scenario FAILs / faults claimed
    MUST proven    = MUST scenarios whose every claimed fault made them FAIL / MUST scenarios

--write-doc FILE rewrites the generated sections of docs/conformance.md (between
<!-- BEGIN name --> and <!-- END name --> markers). --interop-junit FILE adds a per-target column
from a JUnit report of a run against another target (e.g. Dovecot + Postfix).

Exit status: 0 every claim holds and the clean run is clean; 1 a claim does not hold or the clean run
has a FAIL/ERROR; 2 the tool itself could not work (mailspec missing, unreadable scenario file,
unparsable JUnit). Python 3 standard library only.
"""
import argparse
import concurrent.futures
import datetime
import os
import re
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET

OUTCOMES = ("PASS", "FAIL", "ERROR", "SKIP", "XFAIL", "XPASS")


class ToolError(Exception):
    """The harness could not decide (exit 2), as opposed to a claim that does not hold (exit 1)."""


# ---------------------------------------------------------------------------------------------
# Scenario files


class Scenario:
    def __init__(self, sid, protocol, rfc, level, tags, proves, path, line, judges="conformance"):
        self.id, self.protocol, self.rfc, self.level = sid, protocol, rfc, level
        self.tags, self.proves, self.path, self.line = tags, proves, path, line
        self.judges = judges  # "conformance" or "policy" (docs/conformance.md, "Conformance and policy")

    @property
    def group(self):
        """Library section: the folder under scenarios/ (smtp, pop3, imap, e2e, security)."""
        parts = self.path.replace(os.sep, "/").split("/")
        return parts[-2] if len(parts) >= 2 else "?"


def load_scenarios(root):
    """Every <scenario> under root (files *.xml, recursively), skipping scenarios/samples."""
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        if os.path.basename(dirpath) == "samples":
            continue
        for name in sorted(filenames):
            if not name.endswith(".xml"):
                continue
            path = os.path.join(dirpath, name)
            try:
                tree = ET.parse(path)
            except ET.ParseError as e:
                raise ToolError(f"{path}: {e}")
            root_el = tree.getroot()
            nodes = [root_el] if root_el.tag == "scenario" else root_el.findall("scenario")
            for n in nodes:
                found.append(Scenario(n.get("id", ""), n.get("protocol", ""), n.get("rfc", ""),
                                      n.get("level", ""), n.get("tags", "").split(),
                                      n.get("proves", "").split(), path, 0,
                                      n.get("judges", "conformance")))
    ids = [s.id for s in found]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ToolError("duplicate scenario ids: " + ", ".join(dupes))
    return found


# ---------------------------------------------------------------------------------------------
# JUnit


def parse_junit(path):
    """{scenario id: outcome} from a mailspec JUnit file. Tolerates a repeated XML declaration."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise ToolError(f"cannot read JUnit report {path}: {e}")
    data = re.sub(rb"<\?xml[^>]*\?>", b"", data)
    try:
        root = ET.fromstring(data)
    except ET.ParseError as e:
        raise ToolError(f"{path}: not valid XML: {e}")
    outcomes = {}
    for case in root.iter("testcase"):
        name = case.get("name", "")
        outcome = "PASS"
        for child in case:
            if child.tag == "failure":
                outcome = "FAIL"
            elif child.tag == "error":
                outcome = "ERROR"
            elif child.tag == "skipped":
                outcome = "SKIP"
        if outcome == "PASS":
            # mailspec reports known failures as passed test cases whose system-out starts with
            # "XFAIL (known failure: ...)" or "XPASS (listed as known failure: ...)".
            out = (case.findtext("system-out") or "").lstrip()
            if out.startswith("XFAIL"):
                outcome = "XFAIL"
            elif out.startswith("XPASS"):
                outcome = "XPASS"
        outcomes[name] = outcome
    return outcomes


# ---------------------------------------------------------------------------------------------
# Running mailspec


def run_mailspec(mailspec, paths, junit, jobs, timeout, fault=None, ids=None, extra=(), cwd=None,
                 wall_limit=600):
    cmd = [mailspec, "run", "-j", str(jobs), "--junit", junit, "--timeout", str(timeout)]
    # The server is broken on purpose: its scenarios, not the preflight, must notice.
    cmd.append("--no-preflight")
    # Policy scenarios (judges="policy") prove faults too (smtp.open-relay, tls.legacy, ...): they run
    # whatever the default of --policy, and their FAIL is a <failure> in the JUnit file like any other.
    cmd.append("--policy=report")
    if fault:
        cmd.append("--server-arg=--fault=" + fault)
    for i in ids or ():
        cmd += ["--id", i]
    cmd += list(extra)
    cmd += list(paths)
    started = time.monotonic()
    try:
        proc = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              timeout=wall_limit)
    except subprocess.TimeoutExpired:
        raise ToolError(f"{' '.join(cmd)}: did not finish within {wall_limit} s")
    except OSError as e:
        raise ToolError(f"cannot run {mailspec}: {e}")
    elapsed = time.monotonic() - started
    if proc.returncode == 2 or not os.path.exists(junit):
        tail = proc.stdout.decode("utf-8", "replace")[-2000:]
        raise ToolError(f"{' '.join(cmd)} exited {proc.returncode} without a usable report:\n{tail}")
    return proc.stdout.decode("utf-8", "replace"), elapsed


def server_faults(mailspec):
    """Fault names mailspec-server knows (`mailspec-server --list-faults`, beside mailspec), without
    their "=ARG" part; empty when the server cannot be asked."""
    server = os.environ.get("MAILSPEC_SERVER") or os.path.join(os.path.dirname(os.path.abspath(mailspec)),
                                                                "mailspec-server")
    try:
        out = subprocess.run([server, "--list-faults"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                             timeout=30).stdout.decode("utf-8", "replace")
    except (OSError, subprocess.TimeoutExpired):
        return []
    return sorted({line.split("=")[0].strip() for line in out.splitlines() if line and not line[0].isspace()})


# Faults that are legal server behaviour (the fault table says "violates none"): the whole library
# must still PASS with them, which shows that the scenarios do not blame a correct server for them.
LEGAL_FAULTS = ("net.split-writes",)
# Faults no scenario can observe by design: certificates are the probe's business (targets run with
# verification off), and a greeting delay within RFC 5321 §4.5.3.2.1's five minutes is allowed.
NOT_FOR_SCENARIOS = {"tls.expired-cert": "certificate checks belong to `mailspec probe`; targets may run without verification",
                     "net.greeting-delay": "a delay is legal up to 5 minutes (RFC 5321 §4.5.3.2.1); the probe reports it"}


# ---------------------------------------------------------------------------------------------
# Tables (markdown)


def md_table(header, rows):
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(out)


def outcome_counts(scenarios, outcomes):
    """rows per library section: PASS FAIL XFAIL XPASS SKIP ERROR not-run"""
    groups = {}
    for s in scenarios:
        g = groups.setdefault(s.group, {k: 0 for k in OUTCOMES + ("not run",)})
        g[outcomes.get(s.id, "not run")] += 1
    return groups


def target_table(scenarios, outcomes):
    groups = outcome_counts(scenarios, outcomes)
    cols = ("PASS", "FAIL", "XFAIL", "XPASS", "SKIP", "ERROR", "not run")
    rows, total = [], {c: 0 for c in cols}
    for g in ("smtp", "pop3", "imap", "e2e", "security"):
        if g not in groups:
            continue
        rows.append([g] + [groups[g][c] for c in cols])
        for c in cols:
            total[c] += groups[g][c]
    for g in sorted(set(groups) - {"smtp", "pop3", "imap", "e2e", "security"}):
        rows.append([g] + [groups[g][c] for c in cols])
        for c in cols:
            total[c] += groups[g][c]
    rows.append(["**total**"] + [f"**{total[c]}**" for c in cols])
    return md_table(["section"] + list(cols), rows)


def replace_section(text, name, body):
    begin, end = f"<!-- BEGIN {name} -->", f"<!-- END {name} -->"
    if begin not in text or end not in text:
        return text + f"\n{begin}\n{body}\n{end}\n"
    a = text.index(begin) + len(begin)
    b = text.index(end)
    return text[:a] + "\n" + body + "\n" + text[b:]


# ---------------------------------------------------------------------------------------------


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.normpath(os.path.join(here, "..", ".."))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mailspec", required=True, help="the mailspec executable (mailspec-server beside it)")
    ap.add_argument("--scenarios", default=os.path.join(repo, "scenarios"), help="library root")
    ap.add_argument("--repo", default=repo, help="working directory for runs (fixture paths are relative to it)")
    ap.add_argument("-j", "--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=5.0, help="per-step timeout in seconds for each run")
    ap.add_argument("--parallel-faults", type=int, default=1,
                    help="fault runs in flight at once (each already uses -j JOBS)")
    ap.add_argument("--only", action="append", default=[], help="only this fault (repeatable)")
    ap.add_argument("--skip-clean", action="store_true", help="do not run the clean full library")
    ap.add_argument("--write-doc", metavar="FILE", help="rewrite the generated sections of this markdown file")
    ap.add_argument("--interop-junit", metavar="FILE", help="JUnit of a run against another target")
    ap.add_argument("--interop-name", default="Dovecot 2.3 + Postfix 3.7", help="its column title")
    ap.add_argument("--work-dir", help="keep JUnit files here (default: a temporary directory)")
    args = ap.parse_args()

    try:
        return run(args)
    except ToolError as e:
        print(f"mutation.py: error: {e}", file=sys.stderr)
        return 2


def run(args):
    if not os.access(args.mailspec, os.X_OK):
        raise ToolError(f"{args.mailspec}: not an executable")
    scenarios = load_scenarios(args.scenarios)
    by_id = {s.id: s for s in scenarios}
    claims = {}
    for s in scenarios:
        for f in s.proves:
            claims.setdefault(f, []).append(s.id)
    faults = sorted(claims)
    if args.only:
        unknown = [f for f in args.only if f not in claims]
        if unknown:
            raise ToolError("no scenario claims " + ", ".join(unknown))
        faults = [f for f in faults if f in args.only]

    work = args.work_dir or tempfile.mkdtemp(prefix="mailspec-mutation-")
    os.makedirs(work, exist_ok=True)
    started = time.monotonic()
    problems = []

    # 1. the clean server passes (or skips) everything
    clean = {}
    if not args.skip_clean:
        junit = os.path.join(work, "clean.xml")
        _, secs = run_mailspec(args.mailspec, [args.scenarios], junit, args.jobs, args.timeout, cwd=args.repo)
        clean = parse_junit(junit)
        bad = sorted(i for i, o in clean.items() if o in ("FAIL", "ERROR", "XPASS") and i in by_id)
        missing = sorted(s.id for s in scenarios if s.id not in clean)
        print(f"clean run: {len(clean)} scenarios in {secs:.1f} s; "
              + ", ".join(f"{k} {sum(1 for o in clean.values() if o == k)}" for k in OUTCOMES))
        for i in bad:
            problems.append(f"clean server: {i} is {clean[i]} (expected PASS or SKIP)")
        for i in missing:
            problems.append(f"clean server: {i} was not run")

    # 1b. legal server behaviour must not be blamed either
    legal_rows = []
    if not args.skip_clean and not args.only:
        for fault in LEGAL_FAULTS:
            junit = os.path.join(work, "legal-" + fault + ".xml")
            _, secs = run_mailspec(args.mailspec, [args.scenarios], junit, args.jobs, args.timeout, fault=fault,
                                   cwd=args.repo)
            got = parse_junit(junit)
            bad = sorted(i for i, o in got.items() if o in ("FAIL", "ERROR") and i in by_id)
            legal_rows.append((fault, len(got) - len(bad), len(got), f"{secs:.1f}"))
            print(f"legal fault {fault}: {len(got) - len(bad)}/{len(got)} scenarios still PASS or SKIP")
            for i in bad:
                problems.append(f"legal fault {fault}: {i} is {got[i]} (a correct server was blamed)")

    # 2. every fault makes each scenario that claims it FAIL
    def one(fault):
        junit = os.path.join(work, "fault-" + re.sub(r"[^A-Za-z0-9_.-]", "_", fault) + ".xml")
        _, secs = run_mailspec(args.mailspec, [args.scenarios], junit, args.jobs, args.timeout,
                               fault=fault, ids=claims[fault], cwd=args.repo)
        return fault, parse_junit(junit), secs

    results = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.parallel_faults)) as pool:
        for fault, outcomes, secs in pool.map(one, faults):
            results[fault] = (outcomes, secs)

    rows = []
    caught = 0
    held = {}  # scenario id -> list of (fault, held?)
    for fault in faults:
        outcomes, secs = results[fault]
        got = {i: outcomes.get(i, "not run") for i in claims[fault]}
        failing = [i for i, o in got.items() if o == "FAIL"]
        if failing:
            caught += 1
        for i, o in got.items():
            held.setdefault(i, []).append((fault, o == "FAIL"))
            if o != "FAIL":
                problems.append(f"fault {fault}: {i} is {o}, expected FAIL")
        verdict = "caught" if len(failing) == len(got) else ("partly" if failing else "MISSED")
        rows.append((fault, verdict, f"{len(failing)}/{len(got)}",
                     ", ".join(f"{i} {got[i]}" if got[i] != "FAIL" else i for i in sorted(got)), f"{secs:.1f}"))

    must = [s for s in scenarios if s.level == "MUST"]
    # proven: every claimed fault made the scenario FAIL (all of them run unless --only was given)
    proven = [s for s in must if s.id in held and all(ok for _, ok in held[s.id])
              and (args.only or len(held[s.id]) == len(s.proves))]
    unproven = [s for s in must if not s.proves]
    # a claim that did not hold (with --only, claims of faults that were not run are not judged)
    broken = [s for s in must if s.id in held and not all(ok for _, ok in held[s.id])]

    # report
    print()
    print(f"{'fault':38} {'verdict':8} {'FAIL':6} time  scenarios")
    for fault, verdict, ratio, ids, secs in rows:
        print(f"{fault:38} {verdict:8} {ratio:6} {secs:>4}s {ids}")
    print()
    n_faults = len(faults)
    known = server_faults(args.mailspec)
    caught_names = sorted({f.split("=")[0] for f, v, *_ in rows if v != "MISSED"})
    uncaught = [f for f in known if f not in caught_names and f not in LEGAL_FAULTS]
    if known:
        print(f"server faults caught: {len(caught_names)}/{len(known) - len(LEGAL_FAULTS)} "
              f"(mailspec-server --list-faults, legal ones excluded)")
        for f in uncaught:
            print(f"  not caught  {f}" + (f"  ({NOT_FOR_SCENARIOS[f]})" if f in NOT_FOR_SCENARIOS else ""))
    print(f"fault variants caught: {caught}/{n_faults}" + (f" ({100.0 * caught / n_faults:.0f} %)" if n_faults else ""))
    print(f"MUST scenarios proven: {len(proven)}/{len(must)}"
          + (f" ({100.0 * len(proven) / len(must):.0f} %)" if must else ""))
    must_policy = [s for s in must if s.judges == "policy"]
    proven_policy = [s for s in proven if s.judges == "policy"]
    print(f"  of which policy (judges=\"policy\"): {len(proven_policy)}/{len(must_policy)}, "
          f"conformance: {len(proven) - len(proven_policy)}/{len(must) - len(must_policy)}")
    print(f"unproven MUST scenarios (no fault claims them): {len(unproven)}")
    for s in unproven:
        print(f"  unproven  {s.id}  (RFC {s.rfc})")
    for s in broken:
        print(f"  claim not held  {s.id}  " + ", ".join(f for f, ok in held.get(s.id, []) if not ok))
    print(f"total time: {time.monotonic() - started:.1f} s")

    if args.write_doc:
        write_doc(args, scenarios, must, proven, unproven, rows, caught, n_faults, clean,
                  known, caught_names, uncaught, legal_rows)

    if problems:
        print("\nPROBLEMS:")
        for p in problems:
            print("  " + p)
        return 1
    return 0


def write_doc(args, scenarios, must, proven, unproven, rows, caught, n_faults, clean,
              known, caught_names, uncaught, legal_rows):
    try:
        with open(args.write_doc, encoding="utf-8") as f:
            text = f.read()
    except FileNotFoundError:
        text = "# Conformance library\n"
    today = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")

    counts = {}
    for s in scenarios:
        c = counts.setdefault(s.group, {"MUST": 0, "SHOULD": 0, "MAY": 0})
        c[s.level] = c.get(s.level, 0) + 1
    cov_rows = []
    for g in ("smtp", "pop3", "imap", "e2e", "security"):
        if g in counts:
            c = counts[g]
            cov_rows.append([g, c["MUST"] + c["SHOULD"] + c["MAY"], c["MUST"], c["SHOULD"], c["MAY"]])
    cov_rows.append(["**total**", f"**{len(scenarios)}**", sum(r[2] for r in cov_rows),
                     sum(r[3] for r in cov_rows), sum(r[4] for r in cov_rows)])
    text = replace_section(text, "coverage", md_table(["section", "scenarios", "MUST", "SHOULD", "MAY"], cov_rows))

    n_known = len(known) - len(LEGAL_FAULTS)
    score = (f"Generated by `tests/conformance/mutation.py --write-doc` on {today}.\n\n"
             + (f"- **Server faults caught: {len(caught_names)} / {n_known}** "
                f"({100.0 * len(caught_names) / n_known:.0f} % of `mailspec-server --list-faults`, "
                f"legal {', '.join(LEGAL_FAULTS)} excluded)\n" if n_known > 0 else "")
             + "".join(f"  - not caught: `{f}`" + (f" — {NOT_FOR_SCENARIOS[f]}" if f in NOT_FOR_SCENARIOS else "") + "\n"
                       for f in uncaught)
             + f"- **Fault variants caught: {caught} / {n_faults}**"
             + (f" ({100.0 * caught / n_faults:.0f} %)" if n_faults else "") + "\n"
             f"- **MUST scenarios proven: {len(proven)} / {len(must)}**"
             + (f" ({100.0 * len(proven) / len(must):.0f} %)" if must else "") + "\n"
             + "".join(f"- Legal `{f}`: {ok} / {n} scenarios still PASS or SKIP (no correct server blamed)\n"
                       for f, ok, n, _ in legal_rows))
    text = replace_section(text, "score", score)
    text = replace_section(text, "faults", md_table(["fault", "verdict", "claiming scenarios that FAIL", "scenarios"],
                                                    [r[:4] for r in rows]))
    text = replace_section(text, "unproven", "\n".join(f"- `{s.id}` (RFC {s.rfc})" for s in unproven) or "(none)")

    tables = []
    if clean:
        tables.append("**Reference server** (`mailspec run -j 2`, embedded `mailspec-server --ephemeral`):\n\n"
                      + target_table(scenarios, clean))
    if args.interop_junit:
        other = parse_junit(args.interop_junit)
        tables.append(f"**{args.interop_name}** (`ci/interop/with-servers.sh`, known failures from "
                      "`fixtures/known-failures/dovecot-postfix.xml`):\n\n" + target_table(scenarios, other))
    if tables:
        text = replace_section(text, "targets", "\n\n".join(tables))
    with open(args.write_doc, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"wrote {args.write_doc}")


if __name__ == "__main__":
    sys.exit(main())
