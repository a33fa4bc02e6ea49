#include "mailspec/harness/reporters/console.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "mailspec/core/escape.hpp"

namespace mailspec::harness::reporters {

using model::Outcome;

bool colour_wanted(int fd) {
    const char* no_color = std::getenv("NO_COLOR");
    if (no_color && *no_color) return false;
    return ::isatty(fd) == 1;
}

namespace {

const char* colour_of(Outcome o) {
    switch (o) {
        case Outcome::pass: return "\033[32m";
        case Outcome::fail: return "\033[31m";
        case Outcome::error: return "\033[35m";
        case Outcome::skip: return "\033[33m";
        case Outcome::xfail: return "\033[36m";
        case Outcome::xpass: return "\033[1;31m";
    }
    return "";
}

std::string seconds(double s) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f s", s);
    return buf;
}

// Control bytes in any text (a hostile server's words can reach messages) are shown as <0xNN>,
// so the console never interprets them; line breaks are kept.
std::string safe(const std::string& text) {
    std::string out;
    std::size_t start = 0;
    while (start <= text.size()) {
        auto lf = text.find('\n', start);
        const auto end = lf == std::string::npos ? text.size() : lf;
        out += core::visible(std::string_view(text).substr(start, end - start));
        if (lf == std::string::npos) break;
        out += '\n';
        start = end + 1;
    }
    return out;
}

// Indents every line of a multi-line text.
std::string indent(const std::string& raw, const std::string& pad) {
    const std::string text = safe(raw);
    std::string out;
    std::size_t start = 0;
    while (start < text.size()) {
        auto lf = text.find('\n', start);
        const auto end = lf == std::string::npos ? text.size() : lf;
        out += pad + text.substr(start, end - start) + "\n";
        start = end + 1;
    }
    return out;
}

}  // namespace

void ConsoleReporter::scenario_finished(const model::ScenarioResult& r) {
    std::ostringstream line;
    std::string label = model::to_string(r.outcome);
    label.resize(6, ' ');
    if (colour_) line << colour_of(r.outcome) << label << "\033[0m";
    else line << label;
    line << safe(r.id) << "  (" << seconds(r.seconds) << ")";
    if (r.judges == model::Judges::policy) line << "  [policy " << model::to_string(r.severity) << "]";
    line << "\n";
    const std::string pad = "      ";
    switch (r.outcome) {
        case Outcome::pass: break;
        case Outcome::skip: line << pad << safe(r.message) << "\n"; break;
        case Outcome::xfail: line << pad << "known failure: " << safe(r.known_reason) << "\n" << pad << safe(r.message) << "\n"; break;
        case Outcome::xpass:
            line << pad << "UNEXPECTED PASS of a known failure: " << r.known_reason << "\n"
                 << pad << "remove it from the known-failures file if the server was fixed\n";
            break;
        case Outcome::fail:
        case Outcome::error:
            line << pad << (r.step_where.file.empty() ? r.scenario_where.str() : r.step_where.str()) << ": " << safe(r.message)
                 << "\n";
            if (!r.expected.empty()) line << pad << "expected: " << safe(r.expected) << "\n";
            if (!r.actual.empty()) {
                if (r.actual.find('\n') == std::string::npos) line << pad << "actual:   " << safe(r.actual) << "\n";
                else line << pad << "actual:\n" << indent(r.actual, pad);
            }
            if (!r.rfc.empty()) line << pad << "RFC " << r.rfc << (r.level.empty() ? "" : " (" + r.level + ")") << "\n";
            if (!r.transcript.empty()) line << pad << "transcript:\n" << indent(r.transcript, pad + "  ");
            break;
    }
    if (verbose_ && r.outcome != Outcome::fail && r.outcome != Outcome::error && !r.transcript.empty())
        line << pad << "transcript:\n" << indent(r.transcript, pad + "  ");
    out_ << line.str() << std::flush;
}

void ConsoleReporter::finish(const std::vector<model::ScenarioResult>& results) {
    const auto s = model::summarize(results);
    if (s.xfailed || s.xpassed) out_ << s.xfailed << " xfailed, " << s.xpassed << " xpassed\n";
    const auto p = model::summarize_policy(results);
    if (p.total() > 0) {
        const auto& o = p.outcomes;
        out_ << "policy: " << o.passed << " passed, " << o.failed << " failed (" << p.failed_error << " error, "
             << p.failed_warning << " warning, " << p.failed_info << " info), " << o.skipped << " skipped, " << o.errors
             << " errors";
        if (o.xfailed || o.xpassed) out_ << ", " << o.xfailed << " xfailed, " << o.xpassed << " xpassed";
        out_ << "\n";
    }
    out_ << s.passed << " passed, " << s.failed << " failed, " << s.skipped << " skipped, " << s.errors << " errors\n"
         << std::flush;
}

}  // namespace mailspec::harness::reporters
