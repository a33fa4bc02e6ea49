#include "mailspec/harness/engine/matchers.hpp"

#include <boost/regex.hpp>

#include <cctype>

#include "mailspec/core/escape.hpp"

namespace mailspec::harness::engine {
namespace {

template <class F>
bool any_alternative(const std::string& pattern, F&& f) {
    std::size_t start = 0;
    while (true) {
        const auto bar = pattern.find('|', start);
        if (f(pattern.substr(start, bar == std::string::npos ? std::string::npos : bar - start))) return true;
        if (bar == std::string::npos) return false;
        start = bar + 1;
    }
}

std::string upper(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

// The lines as they are shown in an "actual" message.
std::string show_lines(const std::vector<std::string>& lines) {
    std::string out;
    constexpr std::size_t max_lines = 40, max_line = 300;
    for (std::size_t i = 0; i < lines.size() && i < max_lines; ++i) {
        if (!out.empty()) out += '\n';
        std::string v = core::visible(lines[i]);
        if (v.size() > max_line) v = v.substr(0, max_line) + "... (" + std::to_string(lines[i].size()) + " bytes)";
        out += "  " + v;
    }
    if (lines.size() > max_lines) out += "\n  ... (" + std::to_string(lines.size() - max_lines) + " more lines)";
    if (lines.empty()) out = "  (no lines)";
    return out;
}

std::string first_line(const Response& r) {
    const auto lf = r.raw.find('\n');
    return core::visible(r.raw.substr(0, lf == std::string::npos ? std::min<std::size_t>(r.raw.size(), 300) : lf + 1));
}

const boost::regex::flag_type regex_flags = boost::regex::perl;

}  // namespace

bool code_matches(const std::string& pattern, int code) {
    const std::string c = std::to_string(code);
    return any_alternative(pattern, [&](const std::string& p) {
        if (p.size() != 3 || c.size() != 3) return false;
        for (int i = 0; i < 3; ++i)
            if (p[i] != 'x' && p[i] != 'X' && p[i] != c[i]) return false;
        return true;
    });
}

bool status_matches(const std::string& pattern, const std::string& status) {
    return any_alternative(pattern, [&](const std::string& p) { return upper(p) == upper(status); });
}

std::optional<std::string> regex_error(const std::string& pattern) {
    try {
        boost::regex re(pattern, regex_flags);
        (void)re;
        return std::nullopt;
    } catch (const boost::regex_error& e) {
        return std::string(e.what());
    }
}

std::optional<Mismatch> check_response(const model::Expect& expect, const Response& response, Variables& variables) {
    using model::Protocol;
    if (expect.code && !code_matches(*expect.code, response.code)) {
        // RFC 5321 §4.3.2: any command can be answered 421 (service shutting down). Such a
        // reply neither breaks nor meets the check: the outcome is ERROR, never FAIL.
        if (response.code == 421)
            return Mismatch{"inconclusive: the server answered 421 (closing the session), which RFC 5321 §4.3.2 "
                            "allows for any command",
                            "reply code " + *expect.code, "421 (" + first_line(response) + ")", false, {}, true};
        return Mismatch{"wrong reply code", "reply code " + *expect.code,
                        std::to_string(response.code) + " (" + first_line(response) + ")", false, {}};
    }
    if (expect.continuation && !response.continuation) {
        return Mismatch{"expected a continuation request", "a \"+\" continuation line", first_line(response), false, {}};
    }
    if (expect.status && !status_matches(*expect.status, response.status)) {
        return Mismatch{"wrong status", "status " + *expect.status,
                        (response.status.empty() ? std::string("no status") : response.status) + " (" + first_line(response) + ")",
                        false, {}};
    }
    for (const auto& check : expect.checks) {
        Rendered rendered;
        if (auto p = variables.render(check.pattern, RenderContext::regex, rendered))
            return Mismatch{p->message, "a value the scenario can use here", p->message, true, check.where};
        const std::string pattern = rendered.joined();
        boost::regex re;
        try {
            re.assign(pattern, regex_flags);
        } catch (const boost::regex_error& e) {
            return Mismatch{"bad regex /" + pattern + "/: " + e.what(), "a valid regex", pattern, true, check.where};
        }
        try {
            if (check.kind == model::LineCheck::Kind::some_line_matches) {
                bool found = false;
                for (const auto& line : response.lines) {
                    boost::smatch m;
                    if (!boost::regex_search(line, m, re)) continue;
                    found = true;
                    for (std::size_t i = 0; i < check.captures.size(); ++i) {
                        if (i + 1 >= m.size() || !m[i + 1].matched) {
                            return Mismatch{"capture '" + check.captures[i] + "' has no group " + std::to_string(i + 1) +
                                                " in /" + pattern + "/",
                                            "a regex with " + std::to_string(check.captures.size()) + " groups",
                                            core::visible(line), true, check.where};
                        }
                        variables.set(check.captures[i], m[i + 1].str());
                    }
                    break;
                }
                if (!found)
                    return Mismatch{"no line matches /" + pattern + "/", "a line matching /" + pattern + "/",
                                    show_lines(response.lines), false, check.where};
            } else {
                for (const auto& line : response.lines) {
                    if (boost::regex_search(line, re))
                        return Mismatch{"a line matches /" + pattern + "/ but must not", "no line matching /" + pattern + "/",
                                        "  " + core::visible(line), false, check.where};
                }
            }
        } catch (const std::runtime_error& e) {
            // Boost.Regex gives up on pathological patterns instead of running for ever.
            return Mismatch{std::string("regex too complex for this input: ") + e.what(), "a simpler regex", pattern, true,
                            check.where};
        }
    }
    return std::nullopt;
}

}  // namespace mailspec::harness::engine
