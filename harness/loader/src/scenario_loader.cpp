#include "mailspec/harness/loader/scenario_loader.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "xml_document.hpp"

namespace fs = std::filesystem;

namespace mailspec::harness::loader {
namespace {

using namespace model;
using detail::XmlDocument;

bool valid_code_pattern(std::string_view code) {
    // "250", "2xx", "25x"; alternatives separated by '|' (RFC 5321 §4.2: three digits, first 2-5).
    std::size_t start = 0;
    while (true) {
        const auto bar = code.find('|', start);
        const auto part = code.substr(start, bar == std::string_view::npos ? code.npos : bar - start);
        if (part.size() != 3 || part[0] < '1' || part[0] > '5') return false;
        for (std::size_t i = 1; i < 3; ++i)
            if (!(std::isdigit(static_cast<unsigned char>(part[i])) || part[i] == 'x' || part[i] == 'X')) return false;
        if (bar == std::string_view::npos) return true;
        start = bar + 1;
    }
}

bool valid_status(std::string_view status) {
    static const std::set<std::string_view> known = {"+OK", "-ERR", "+", "OK", "NO", "BAD", "BYE", "PREAUTH"};
    std::size_t start = 0;
    while (true) {
        const auto bar = status.find('|', start);
        const auto part = status.substr(start, bar == std::string_view::npos ? status.npos : bar - start);
        if (!known.count(part)) return false;
        if (bar == std::string_view::npos) return true;
        start = bar + 1;
    }
}

bool valid_identifier(std::string_view name) {
    if (name.empty()) return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
    });
}

bool valid_tls_version(std::string_view v) { return v == "1.0" || v == "1.1" || v == "1.2" || v == "1.3"; }

// Finds `relative` from the current directory, else from the scenario file's folder and each of its
// ancestors (so "fixtures/messages/x.eml" works from any working directory inside the checkout).
std::string resolve_fixture(const std::string& relative, const std::string& scenario_file) {
    const fs::path rel(relative);
    std::error_code ec;
    if (rel.is_absolute()) return relative;
    if (fs::exists(rel, ec)) return relative;
    fs::path dir = fs::absolute(fs::path(scenario_file), ec).parent_path();
    for (int depth = 0; depth < 32 && !dir.empty(); ++depth) {
        if (fs::exists(dir / rel, ec)) return (dir / rel).string();
        if (dir == dir.parent_path()) break;
        dir = dir.parent_path();
    }
    return {};
}

class ScenarioParser {
public:
    ScenarioParser(const XmlDocument& doc, Diagnostics& errors) : doc_(doc), errors_(errors) {}

    std::optional<Scenario> scenario(const pugi::xml_node& node, const std::string& suite,
                                     const std::vector<std::string>& suite_tags) {
        const auto before = errors_.size();
        doc_.check_attributes(node, {"id", "protocol", "rfc", "level", "judges", "severity", "tags", "requires", "proves", "timeout"},
                              {"id", "protocol"}, errors_);
        Scenario s;
        s.where = doc_.where(node);
        s.suite = suite;
        s.id = node.attribute("id").value();
        if (node.attribute("id") && !valid_identifier(s.id))
            doc_.error(node, "scenario id '" + s.id + "' must be letters, digits, '.', '-' or '_'", errors_);
        if (auto a = node.attribute("protocol")) {
            if (auto p = parse_protocol(a.value())) s.protocol = *p;
            else doc_.error(node, std::string("protocol='") + a.value() + "': expected smtp, pop3 or imap", errors_);
        }
        s.rfc = node.attribute("rfc").value();
        s.level = node.attribute("level").value();
        if (node.attribute("level") && s.level != "MUST" && s.level != "SHOULD" && s.level != "MAY")
            doc_.error(node, "level='" + s.level + "': expected MUST, SHOULD or MAY", errors_);
        judgement(node, s);
        s.tags = suite_tags;
        for (auto& t : detail::split_words(node.attribute("tags").value(), true))
            if (std::find(s.tags.begin(), s.tags.end(), t) == s.tags.end()) s.tags.push_back(t);
        for (auto& cap : detail::split_words(node.attribute("requires").value()))
            s.requirements.push_back({std::move(cap), s.where});
        s.proves = detail::split_words(node.attribute("proves").value());
        if (auto a = node.attribute("timeout")) s.timeout = duration(node, a);

        bool seen_step = false;
        for (const auto& child : node.children()) {
            if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) {
                if (std::string_view(child.value()).find_first_not_of(" \t\r\n") != std::string_view::npos)
                    doc_.error(node, "unexpected text inside <scenario>; expected step elements", errors_);
                continue;
            }
            if (child.type() != pugi::node_element) continue;
            const std::string_view name = child.name();
            if (name == "description") {
                doc_.check_attributes(child, {}, {}, errors_);
                doc_.check_no_children(child, true, errors_);
                if (seen_step) doc_.error(child, "<description> must come before the steps", errors_);
                s.description = child.child_value();
            } else if (name == "cleanup") {
                doc_.check_attributes(child, {}, {}, errors_);
                if (!s.cleanup.empty()) doc_.error(child, "only one <cleanup> block is allowed", errors_);
                for (const auto& c : child.children()) {
                    if (c.type() != pugi::node_element) continue;
                    if (auto st = step(c)) s.cleanup.push_back(std::move(*st));
                }
            } else if (name == "requires" && !seen_step) {
                top_requirement(child, s);
            } else {
                seen_step = true;
                if (auto st = step(child)) s.steps.push_back(std::move(*st));
            }
        }
        if (s.steps.empty() && errors_.size() == before) doc_.error(node, "scenario '" + s.id + "' has no steps", errors_);
        if (errors_.size() != before) return std::nullopt;
        return s;
    }

private:
    // judges="conformance|policy" (default conformance) and, for policy only and required there,
    // severity="error|warning|info": the probe's policy-file severities (model/judgement.hpp).
    void judgement(const pugi::xml_node& node, Scenario& s) {
        if (auto a = node.attribute("judges")) {
            if (auto j = judges_from_string(a.value())) s.judges = *j;
            else doc_.error(node, std::string("judges='") + a.value() + "': expected conformance or policy", errors_);
        }
        if (auto a = node.attribute("severity")) {
            if (s.judges != Judges::policy)
                doc_.error(node, "severity= weighs a policy finding; it needs judges=\"policy\" (a conformance "
                                 "scenario's weight is its level=)", errors_);
            if (auto v = severity_from_string(a.value())) s.severity = *v;
            else doc_.error(node, std::string("severity='") + a.value() + "': expected error, warning or info", errors_);
        } else if (s.judges == Judges::policy) {
            doc_.error(node, "judges=\"policy\" needs severity=\"error|warning|info\" (the weight of its finding, as "
                             "in mailspec probe policy files)", errors_);
        }
    }

    // <requires capability="X"/> before the first step: a requirement of the whole scenario, decided
    // on the session the scenario opens first (docs/scenario-format.md, "requires").
    void top_requirement(const pugi::xml_node& node, Scenario& s) {
        if (node.attribute("session"))
            doc_.error(node, "session= on a <requires> before the first step: a requirement of the whole scenario is "
                             "decided on the session the scenario opens first; session= belongs to a <requires> step "
                             "after an <expect> on that session", errors_);
        doc_.check_attributes(node, {"capability", "session"}, {"capability"}, errors_);
        doc_.check_no_children(node, false, errors_);
        const std::string capability = node.attribute("capability").value();
        if (node.attribute("capability") && capability.empty())
            doc_.error(node, "capability='': expected a capability name such as IDLE or AUTH=PLAIN", errors_);
        s.requirements.push_back({capability, doc_.where(node)});
    }

    std::optional<Millis> duration(const pugi::xml_node& node, const pugi::xml_attribute& a) {
        Millis ms{};
        if (!parse_duration(a.value(), ms) || ms.count() <= 0) {
            doc_.error(node, std::string(a.name()) + "='" + a.value() +
                                 "': expected a positive duration such as 500ms, 10s or 2.5", errors_);
            return std::nullopt;
        }
        return ms;
    }

    std::optional<Step> step(const pugi::xml_node& node) {
        const auto before = errors_.size();
        Step st;
        st.where = doc_.where(node);
        if (auto a = node.attribute("session")) {
            st.session = a.value();
            if (!valid_identifier(st.session))
                doc_.error(node, "session='" + st.session + "': expected a name of letters, digits, '.', '-', '_'", errors_);
        }
        if (auto a = node.attribute("timeout")) st.timeout = duration(node, a);
        const std::string_view name = node.name();
        if (name == "connect") {
            doc_.check_attributes(node, {"session", "timeout", "endpoint"}, {"endpoint"}, errors_);
            doc_.check_no_children(node, false, errors_);
            st.action = Connect{node.attribute("endpoint").value()};
        } else if (name == "send") {
            doc_.check_attributes(node, {"session", "timeout", "raw"}, {}, errors_);
            doc_.check_no_children(node, true, errors_);
            Send s;
            if (auto raw = node.attribute("raw")) {
                s.form = Send::Form::raw;
                s.text = raw.value();
                if (std::string_view(node.child_value()).find_first_not_of(" \t\r\n") != std::string_view::npos)
                    doc_.error(node, "<send raw=\"...\"> takes its bytes from the attribute; expected no text", errors_);
            } else {
                s.text = node.child_value();
                if (s.text.find_first_of("\r\n") != std::string::npos)
                    doc_.error(node, "<send> sends one line (CRLF is appended); found a line break, "
                                     "use <send-raw> with \\r\\n escapes for several lines", errors_);
            }
            st.action = std::move(s);
        } else if (name == "send-raw") {
            doc_.check_attributes(node, {"session", "timeout"}, {}, errors_);
            doc_.check_no_children(node, true, errors_);
            st.action = Send{Send::Form::raw, node.child_value()};
        } else if (name == "send-file") {
            doc_.check_attributes(node, {"session", "timeout", "path", "mode", "prefix", "suffix", "substitute"},
                                  {"path", "mode"}, errors_);
            doc_.check_no_children(node, false, errors_);
            SendFile f;
            f.path = node.attribute("path").value();
            const std::string mode = node.attribute("mode").value();
            if (mode == "smtp-data") f.mode = SendFile::Mode::smtp_data;
            else if (mode == "imap-literal") f.mode = SendFile::Mode::imap_literal;
            else if (mode == "raw") f.mode = SendFile::Mode::raw;
            else if (node.attribute("mode"))
                doc_.error(node, "mode='" + mode + "': expected smtp-data, imap-literal or raw", errors_);
            f.prefix = node.attribute("prefix").value();
            f.suffix = node.attribute("suffix").value();
            if (f.mode != SendFile::Mode::imap_literal && (node.attribute("prefix") || node.attribute("suffix")))
                doc_.error(node, "prefix/suffix apply only to mode=\"imap-literal\"", errors_);
            if (f.mode == SendFile::Mode::imap_literal && f.prefix.empty() && node.attribute("mode"))
                doc_.error(node, "mode=\"imap-literal\" needs prefix (for example prefix=\"a1 APPEND INBOX\")", errors_);
            if (auto a = node.attribute("substitute")) {
                if (auto b = detail::parse_bool(a.value())) f.substitute = *b;
                else doc_.error(node, std::string("substitute='") + a.value() + "': expected true or false", errors_);
            }
            if (!f.path.empty()) {
                f.resolved = resolve_fixture(f.path, doc_.file());
                if (f.resolved.empty())
                    doc_.error(node, "send-file path '" + f.path +
                                         "' not found (looked in the current directory and above the scenario file)", errors_);
            }
            st.action = std::move(f);
        } else if (name == "expect") {
            st.action = expect(node);
        } else if (name == "starttls") {
            doc_.check_attributes(node, {"session", "timeout"}, {}, errors_);
            doc_.check_no_children(node, false, errors_);
            st.action = StartTls{};
        } else if (name == "tls-handshake") {
            doc_.check_attributes(node, {"session", "timeout", "min-version", "max-version", "expect"}, {}, errors_);
            doc_.check_no_children(node, false, errors_);
            TlsHandshake t;
            for (const char* an : {"min-version", "max-version"}) {
                if (auto a = node.attribute(an)) {
                    if (!valid_tls_version(a.value()))
                        doc_.error(node, std::string(an) + "='" + a.value() + "': expected 1.0, 1.1, 1.2 or 1.3", errors_);
                    (std::string_view(an) == "min-version" ? t.min_version : t.max_version) = a.value();
                }
            }
            if (auto a = node.attribute("expect")) {
                const std::string_view v = a.value();
                if (v == "fail") t.expect_failure = true;
                else if (v == "any") t.allow_failure = true;
                else if (v != "ok") doc_.error(node, "expect='" + std::string(v) + "': expected ok, fail or any", errors_);
            }
            st.action = t;
        } else if (name == "expect-close") {
            doc_.check_attributes(node, {"session", "timeout"}, {}, errors_);
            doc_.check_no_children(node, false, errors_);
            st.action = ExpectClose{};
        } else if (name == "close") {
            doc_.check_attributes(node, {"session"}, {}, errors_);
            doc_.check_no_children(node, false, errors_);
            st.action = Close{};
        } else if (name == "requires") {
            doc_.check_attributes(node, {"session", "capability"}, {"capability"}, errors_);
            doc_.check_no_children(node, false, errors_);
            st.action = Requires{node.attribute("capability").value()};
        } else if (name == "pause") {
            doc_.check_attributes(node, {"session", "ms"}, {"ms"}, errors_);
            doc_.check_no_children(node, false, errors_);
            long ms = -1;
            const std::string_view v = node.attribute("ms").value();
            auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), ms);
            if (ec != std::errc() || p != v.data() + v.size() || ms < 0 || ms > 600000)
                doc_.error(node, "ms='" + std::string(v) + "': expected milliseconds from 0 to 600000", errors_);
            st.action = Pause{Millis(std::max(ms, 0L))};
        } else {
            doc_.error(node, "unknown element <" + std::string(name) +
                                 ">; expected one of: connect, send, send-raw, send-file, expect, starttls, "
                                 "tls-handshake, expect-close, close, requires, pause, description, cleanup", errors_);
        }
        if (errors_.size() != before) return std::nullopt;
        return st;
    }

    Expect expect(const pugi::xml_node& node) {
        doc_.check_attributes(node, {"session", "timeout", "code", "status", "tag", "multiline", "continuation"}, {},
                              errors_);
        Expect e;
        if (auto a = node.attribute("code")) {
            e.code = a.value();
            if (!valid_code_pattern(*e.code))
                doc_.error(node, "code='" + *e.code + "': expected a reply code like 250, 2xx or 25x (alternatives with |)",
                           errors_);
        }
        if (auto a = node.attribute("status")) {
            e.status = a.value();
            if (!valid_status(*e.status))
                doc_.error(node, "status='" + *e.status + "': expected +OK, -ERR or + (POP3), or OK, NO, BAD, BYE, PREAUTH (IMAP)",
                           errors_);
        }
        if (auto a = node.attribute("tag")) {
            e.tag = a.value();
            if (e.tag->empty()) doc_.error(node, "tag='' : expected an IMAP tag such as a1", errors_);
        }
        for (const char* an : {"multiline", "continuation"}) {
            if (auto a = node.attribute(an)) {
                auto b = detail::parse_bool(a.value());
                if (!b) doc_.error(node, std::string(an) + "='" + a.value() + "': expected true or false", errors_);
                else (std::string_view(an) == "multiline" ? e.multiline : e.continuation) = *b;
            }
        }
        if (e.code && (e.status || e.tag || e.multiline || e.continuation))
            doc_.error(node, "code= is for SMTP replies; it cannot be combined with status, tag, multiline or continuation",
                       errors_);
        if (e.continuation && (e.tag || e.status))
            doc_.error(node, "continuation=\"true\" reads one '+' line; it cannot be combined with tag or status", errors_);
        for (const auto& child : node.children()) {
            if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) {
                if (std::string_view(child.value()).find_first_not_of(" \t\r\n") != std::string_view::npos)
                    doc_.error(node, "unexpected text inside <expect>; expected <line> or <no-line>", errors_);
                continue;
            }
            if (child.type() != pugi::node_element) continue;
            const std::string_view cname = child.name();
            LineCheck c;
            c.where = doc_.where(child);
            if (cname == "line") {
                doc_.check_attributes(child, {"matches", "capture"}, {"matches"}, errors_);
                c.kind = LineCheck::Kind::some_line_matches;
                c.captures = detail::split_words(child.attribute("capture").value(), true);
                for (const auto& v : c.captures)
                    if (!valid_identifier(v))
                        doc_.error(child, "capture name '" + v + "': expected letters, digits, '.', '-', '_'", errors_);
            } else if (cname == "no-line") {
                doc_.check_attributes(child, {"matches"}, {"matches"}, errors_);
                c.kind = LineCheck::Kind::no_line_matches;
            } else {
                doc_.error(child, "unknown element <" + std::string(cname) + "> inside <expect>; expected <line> or <no-line>",
                           errors_);
                continue;
            }
            doc_.check_no_children(child, false, errors_);
            c.pattern = child.attribute("matches").value();
            e.checks.push_back(std::move(c));
        }
        return e;
    }

    const XmlDocument& doc_;
    Diagnostics& errors_;
};

}  // namespace

bool parse_duration(std::string_view text, Millis& out) {
    double factor = 1000.0;
    if (text.size() > 2 && text.substr(text.size() - 2) == "ms") {
        factor = 1.0;
        text.remove_suffix(2);
    } else if (text.size() > 1 && text.back() == 's') {
        text.remove_suffix(1);
    }
    if (text.empty()) return false;
    double value = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || p != text.data() + text.size() || value < 0 || value > 86400.0 * 1000) return false;
    out = Millis(static_cast<long long>(value * factor + 0.5));
    return true;
}

std::vector<Scenario> load_scenario_text(std::string_view xml, const std::string& file_name, Diagnostics& errors) {
    XmlDocument doc;
    std::vector<Scenario> out;
    if (!doc.parse(xml, file_name, errors)) return out;
    ScenarioParser parser(doc, errors);
    const auto root = doc.root();
    const std::string_view root_name = root.name();
    const std::string stem = fs::path(file_name).stem().string();
    if (root_name == "scenario") {
        if (auto s = parser.scenario(root, stem, {})) out.push_back(std::move(*s));
    } else if (root_name == "suite") {
        doc.check_attributes(root, {"name", "tags"}, {}, errors);
        const std::string suite = root.attribute("name") ? root.attribute("name").value() : stem;
        const auto tags = detail::split_words(root.attribute("tags").value(), true);
        for (const auto& child : root.children()) {
            if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) {
                if (std::string_view(child.value()).find_first_not_of(" \t\r\n") != std::string_view::npos)
                    doc.error(root, "unexpected text inside <suite>; expected <scenario> elements", errors);
                continue;
            }
            if (child.type() != pugi::node_element) continue;
            if (std::string_view(child.name()) == "description") continue;
            if (std::string_view(child.name()) != "scenario") {
                doc.error(child, "unknown element <" + std::string(child.name()) + "> inside <suite>; expected <scenario>",
                          errors);
                continue;
            }
            if (auto s = parser.scenario(child, suite, tags)) out.push_back(std::move(*s));
        }
        if (out.empty() && !root.child("scenario")) doc.error(root, "<suite> holds no <scenario>", errors);
    } else {
        doc.error(root, "root element <" + std::string(root_name) + ">: expected <scenario> or <suite>", errors);
    }
    return out;
}

std::vector<Scenario> load_scenario_file(const std::string& path, Diagnostics& errors) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        errors.push_back({{path, 0}, "cannot open scenario file"});
        return {};
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    return load_scenario_text(ss.str(), path, errors);
}

std::vector<std::string> discover_scenario_files(const std::vector<std::string>& paths, Diagnostics& errors) {
    std::vector<std::string> files;
    for (const auto& p : paths) {
        std::error_code ec;
        if (fs::is_regular_file(p, ec)) {
            files.push_back(p);
        } else if (fs::is_directory(p, ec)) {
            std::vector<std::string> found;
            for (fs::recursive_directory_iterator it(p, ec), end; !ec && it != end; it.increment(ec))
                if (it->is_regular_file(ec) && it->path().extension() == ".xml") found.push_back(it->path().string());
            if (ec) errors.push_back({{p, 0}, "cannot read folder: " + ec.message()});
            std::sort(found.begin(), found.end());
            files.insert(files.end(), found.begin(), found.end());
        } else {
            errors.push_back({{p, 0}, "no such file or folder"});
        }
    }
    return files;
}

}  // namespace mailspec::harness::loader
