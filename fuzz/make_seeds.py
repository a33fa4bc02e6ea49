#!/usr/bin/env python3
"""Writes the committed seed corpus of the fuzz targets, fuzz/seeds/TARGET/, from the project's
own material, never by hand:

  * the scenario library (scenarios/**/*.xml): every <send> of a session, in order, as the client
    stream the server would read (CRLF-terminated; ${...} values replaced by fixed stand-ins),
    <send-file> messages in the mode the scenario sends them (smtp-data dot-stuffed, imap-literal);
  * the unit-test tables: the C++ string literals of the tests in tests/protocol/** (adjacent
    literals joined, escapes decoded), routed to the target of the code each test file covers;
  * the message fixtures (fixtures/messages/**/*.eml) for the MIME targets.

Deterministic: the same tree gives the same files (named by SHA-1 of their bytes). Each target
keeps at most MAX_SEEDS seeds of at most MAX_SEED bytes, so the committed set stays small.
Usage: fuzz/make_seeds.py [--out DIR]   (default fuzz/seeds; the old contents are replaced)
"""
import argparse
import hashlib
import pathlib
import re
import shutil
import xml.etree.ElementTree as ET

ROOT = pathlib.Path(__file__).resolve().parent.parent
MAX_SEEDS = 80
MAX_SEED = 8192

# Stand-ins for the scenario values (docs/scenario-format.md "Values").
VALUES = {
    "user.login": "alice", "user2.login": "bob", "user.password": "secret", "user2.password": "hunter2",
    "user.address": "alice@example.test", "user2.address": "bob@example.test", "domain": "example.test",
    "delim": "/", "seq": "1", "uid": "1", "uid2": "2", "count": "1", "first": "1", "uidvalidity": "1",
    "user": "alice", "user2": "bob",
}


def substitute(text):
    def value(m):
        expr = m.group(1)
        kind, _, arg = expr.partition(":")
        if kind == "repeat":
            ch, _, n = arg.partition(",")
            return ch.strip("'") * min(int(n), 1200)
        if kind == "sasl-plain":
            return "AGFsaWNlAHNlY3JldA=="  # base64("\0alice\0secret")
        if kind == "base64":
            return "YWxpY2U="
        if kind == "cram-md5":
            return "YWxpY2UgMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDA="
        if kind in ("imap-astring", "pop3-arg", "pop3-pass"):
            return VALUES.get(arg, "x")
        return VALUES.get(expr, "1")
    return re.sub(r"\$\{([^}]*)\}", value, text)


def crlf(text):
    return re.sub(r"\r?\n", "\r\n", text)


def protocol_of(endpoint):
    if "imap" in endpoint:
        return "imap"
    if "pop3" in endpoint:
        return "pop3"
    return "smtp"


def scenario_streams():
    """(protocol, bytes of one session's client stream, list of its lines) for every session."""
    out = []
    for path in sorted((ROOT / "scenarios").rglob("*.xml")):
        try:
            tree = ET.parse(path)
        except ET.ParseError:
            continue
        for scenario in tree.iter("scenario"):
            sessions = {}
            protocols = {}
            for el in scenario.iter():
                session = el.get("session", "")
                if el.tag == "connect":
                    protocols[session] = protocol_of(el.get("endpoint", scenario.get("protocol", "smtp")))
                elif el.tag == "send":
                    line = crlf(substitute(el.text or ""))
                    if not line.endswith("\r\n"):
                        line += "\r\n"
                    sessions.setdefault(session, []).append(line.encode())
                elif el.tag == "send-file":
                    data = (ROOT / el.get("path", "")).read_bytes() if (ROOT / el.get("path", "")).is_file() else b""
                    data = re.sub(rb"\r?\n", b"\r\n", data)
                    mode = el.get("mode", "raw")
                    if mode == "smtp-data":
                        data = re.sub(rb"(^|\r\n)\.", rb"\1..", data)
                        if not data.endswith(b"\r\n"):
                            data += b"\r\n"
                        data += b".\r\n"
                    elif mode == "imap-literal":
                        data = (el.get("prefix", "a APPEND INBOX") + " {%d}\r\n" % len(data)).encode() + data + b"\r\n"
                    sessions.setdefault(session, []).append(data)
            for session, lines in sessions.items():
                proto = protocols.get(session, protocol_of(scenario.get("protocol", "smtp")))
                out.append((proto, b"".join(lines), lines))
    return out


ESCAPES = {"n": b"\n", "r": b"\r", "t": b"\t", "0": b"\0", "\\": b"\\", '"': b'"', "'": b"'", "a": b"\a",
           "b": b"\b", "f": b"\f", "v": b"\v", "?": b"?"}


def cpp_literals(path):
    """The string literals of a C++ file, adjacent ones joined, as bytes."""
    src = path.read_text(encoding="utf-8", errors="replace")
    src = re.sub(r"//[^\n]*", "", src)
    out, i, current, last_end = [], 0, None, 0
    while i < len(src):
        c = src[i]
        if c == "'":  # a character literal, e.g. '"'
            j = i + 1
            while j < len(src) and src[j] != "'":
                j += 2 if src[j] == "\\" else 1
            i = j + 1
            continue
        raw = re.match(r'R"([^(]*)\(', src[i:])
        if raw or c == '"':
            begin = i
            if raw:
                end = src.index(")" + raw.group(1) + '"', i)
                value = src[i + raw.end():end].encode()
                i = end + len(raw.group(1)) + 2
            else:
                j, value = i + 1, bytearray()
                while j < len(src) and src[j] != '"':
                    if src[j] == "\\":
                        e = src[j + 1]
                        if e == "x":
                            m = re.match(r"[0-9a-fA-F]{1,2}", src[j + 2:])
                            value.append(int(m.group(0), 16))
                            j += 2 + len(m.group(0))
                            continue
                        if e in "01234567":
                            m = re.match(r"[0-7]{1,3}", src[j + 1:])
                            value.append(int(m.group(0), 8) & 0xFF)
                            j += 1 + len(m.group(0))
                            continue
                        value += ESCAPES.get(e, e.encode())
                        j += 2
                    else:
                        value += src[j].encode()
                        j += 1
                value = bytes(value)
                i = j + 1
            if current is not None and src[last_end:begin].strip() == "":
                current += value
            else:
                if current is not None:
                    out.append(current)
                current = value
            last_end = i
            continue
        i += 1
    if current is not None:
        out.append(current)
    return out


def tests(*names):
    lits = []
    for name in names:
        for path in sorted((ROOT / "tests" / "protocol").glob(name)):
            lits += cpp_literals(path)
    return [l for l in lits if l]


def emails():
    return [p.read_bytes() for p in sorted((ROOT / "fixtures" / "messages").rglob("*.eml"))]


def header_of(message):
    m = re.search(rb"\r?\n\r?\n", message)
    return message[: m.end()] if m else message


def field_values(messages, names):
    out = []
    for m in messages:
        unfolded = re.sub(rb"\r?\n[ \t]", b" ", header_of(m))
        for line in re.split(rb"\r?\n", unfolded):
            k, _, v = line.partition(b":")
            if k.strip().lower() in names:
                out.append(v.strip())
    return out


def after_verb(lines, verbs, skip_words=0):
    out = []
    for line in lines:
        words = line.rstrip(b"\r\n").split(b" ", 1 + skip_words)
        if len(words) > 1 + skip_words - 0 and words[skip_words if skip_words else 0].upper() in verbs:
            out.append(words[-1])
    return out


def imap_args(lines, verb):
    """What follows "TAG [UID] VERB " in IMAP command lines."""
    out = []
    for line in lines:
        m = re.match(rb"\S+ (?:UID )?" + verb + rb" (.*)\r\n$", line, re.I | re.S)
        if m:
            out.append(m.group(1))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "fuzz" / "seeds"))
    out_dir = pathlib.Path(ap.parse_args().out)

    streams = scenario_streams()
    smtp = [s for p, s, _ in streams if p == "smtp"]
    pop3 = [s for p, s, _ in streams if p == "pop3"]
    imap = [s for p, s, _ in streams if p == "imap"]
    smtp_lines = [l for p, _, ls in streams if p == "smtp" for l in ls]
    pop3_lines = [l for p, _, ls in streams if p == "pop3" for l in ls]
    imap_lines = [l for p, _, ls in streams if p == "imap" for l in ls]
    mails = emails()

    data_sections = []
    for p, _, ls in streams:
        if p != "smtp":
            continue
        for k, l in enumerate(ls):
            if l.rstrip(b"\r\n").upper() == b"DATA" and k + 1 < len(ls):
                data_sections.append(b"".join(ls[k + 1:]))
    smtp_args = [l.rstrip(b"\r\n").split(b" ", 1)[1] for l in smtp_lines
                 if b" " in l and l.split(b" ", 1)[0].upper() in (b"MAIL", b"RCPT", b"EHLO", b"HELO")]
    auth_lines = [l.rstrip(b"\r\n").split(b" ")[-1] for l in smtp_lines + pop3_lines
                  if l.upper().startswith(b"AUTH ")] + [l.rstrip(b"\r\n") for l in smtp_lines
                                                        if re.fullmatch(rb"[A-Za-z0-9+/=]+\r\n", l)]
    mailbox_args = []
    for verb in (rb"SELECT", rb"CREATE", rb"DELETE", rb"EXAMINE", rb"STATUS", rb"LIST", rb"RENAME"):
        mailbox_args += [a.split(b" ")[0] for a in imap_args(imap_lines, verb)]
    sets = [a.split(b" ")[0] for v in (rb"FETCH", rb"STORE", rb"COPY", rb"MOVE") for a in imap_args(imap_lines, v)]
    fetch = [a.split(b" ", 1)[1] for a in imap_args(imap_lines, rb"FETCH") if b" " in a]

    targets = {
        "fuzz_client_smtp_reply": tests("client/smtp_reply_test.cpp", "smtp/reply_sasl_test.cpp"),
        "fuzz_client_pop3_response": tests("client/pop3_response_test.cpp", "pop3/*.cpp"),
        "fuzz_client_imap_response": tests("client/imap_response_test.cpp", "imap/response_writer_test.cpp"),
        "fuzz_smtp_command": smtp + tests("smtp/line_splitter_test.cpp"),
        "fuzz_smtp_address": smtp_args + tests("smtp/address_test.cpp"),
        "fuzz_smtp_data_reader": data_sections + tests("smtp/data_reader_test.cpp"),
        "fuzz_smtp_sasl": auth_lines + tests("smtp/reply_sasl_test.cpp"),
        "fuzz_smtp_reply_roundtrip": [b"\x00\x05\x01\x00\x00" + l for l in tests("smtp/reply_sasl_test.cpp")],
        "fuzz_pop3_command": pop3 + tests("pop3/*.cpp"),
        "fuzz_pop3_response_roundtrip": mails + tests("pop3/*.cpp"),
        "fuzz_imap_command_parser": imap + tests("imap/command_parser_test.cpp"),
        "fuzz_imap_sequence_set": sets + tests("imap/sequence_set_test.cpp"),
        "fuzz_imap_search": imap_args(imap_lines, rb"SEARCH") + tests("imap/search_test.cpp"),
        "fuzz_imap_fetch_items": fetch + tests("imap/fetch_items_test.cpp"),
        "fuzz_imap_date_time": field_values(mails, {b"date"}) + tests("imap/date_time_test.cpp"),
        "fuzz_imap_mailbox_name": mailbox_args + tests("imap/mailbox_name_test.cpp"),
        "fuzz_imap_response_roundtrip": tests("imap/response_writer_test.cpp"),
        "fuzz_mime_header": [header_of(m) for m in mails] + tests("mime/header_test.cpp"),
        "fuzz_mime_params": field_values(mails, {b"content-type", b"content-disposition"}) + tests("mime/params_test.cpp"),
        "fuzz_mime_address": field_values(mails, {b"from", b"to", b"cc"}) + tests("mime/address_test.cpp"),
        "fuzz_mime_message": mails + tests("mime/message_test.cpp", "imap/body_structure_test.cpp"),
    }
    # The loaders: each scenario of the library as a suite of its own (small seeds), the target
    # and known-failures fixtures whole.
    scenario_docs = []
    for path in sorted((ROOT / "scenarios").rglob("*.xml")):
        try:
            suite = ET.parse(path).getroot()
        except ET.ParseError:
            continue
        for scenario in suite.iter("scenario"):
            doc = ET.Element("suite", suite.attrib)
            doc.append(scenario)
            scenario_docs.append(b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(doc))
    targets["fuzz_harness_scenario_loader"] = scenario_docs
    targets["fuzz_harness_target_loader"] = [p.read_bytes() for p in sorted((ROOT / "fixtures" / "targets").glob("*.xml"))]
    targets["fuzz_harness_known_failures_loader"] = [
        p.read_bytes() for p in sorted((ROOT / "fixtures" / "known-failures").glob("*.xml"))]
    if out_dir.exists():
        shutil.rmtree(out_dir)
    total = 0
    for name, seeds in targets.items():
        d = out_dir / name
        d.mkdir(parents=True)
        kept = {}
        for s in seeds:
            if 0 < len(s) <= MAX_SEED:
                kept.setdefault(hashlib.sha1(s).hexdigest(), s)
        for digest, s in sorted(kept.items())[:MAX_SEEDS]:
            (d / digest[:16]).write_bytes(s)
            total += len(s)
        print(f"{name}: {min(len(kept), MAX_SEEDS)} seeds")
    print(f"total {total} bytes")


if __name__ == "__main__":
    main()
