#include "report_table.hpp"

#include <algorithm>
#include <map>

#include "mailspec/core/escape.hpp"

namespace mailspec::harness::probe {

namespace {

// Display width in code points (UTF-8 continuation bytes do not count), so "§" aligns.
std::size_t width(const std::string& text) {
    std::size_t n = 0;
    for (unsigned char c : text)
        if ((c & 0xC0) != 0x80) ++n;
    return n;
}

std::string pad(const std::string& text, std::size_t to) {
    std::size_t w = width(text);
    return w >= to ? text : text + std::string(to - w, ' ');
}

std::string short_subject(const std::string& subject) {
    // Prefer the CN from an RFC 2253 subject ("CN=localhost,O=x"), else the whole subject.
    auto cn = subject.find("CN=");
    if (cn == std::string::npos) return subject;
    auto end = subject.find(',', cn);
    return subject.substr(cn, end == std::string::npos ? std::string::npos : end - cn);
}

std::string tls_mode_cell(const PortObservation& o) {
    if (o.state != PortState::open) return "-";
    if (o.inconclusive && o.tls_mode == TlsMode::unknown) return "?";
    switch (o.tls_mode) {
        case TlsMode::implicit: return "implicit";
        case TlsMode::starttls: return o.service == Service::pop3 ? "STLS" : "STARTTLS";
        case TlsMode::starttls_failed: return o.service == Service::pop3 ? "STLS (broken)" : "STARTTLS (broken)";
        case TlsMode::plaintext: return "none";
        case TlsMode::unknown: return "?";
    }
    return "?";
}

std::string service_cell(const PortObservation& o) {
    if (o.state != PortState::open) return "-";
    return o.service == Service::unknown ? "?" : to_string(o.service);
}

const char* color_for(const std::string& verdict) {
    if (verdict == "FAIL") return "\x1b[31m";
    if (verdict == "WARN" || verdict == "INCONCLUSIVE") return "\x1b[33m";
    if (verdict == "OK") return "\x1b[32m";
    return "";
}

int rank(const CheckResult& c) {
    if (c.outcome == Outcome::finding && c.severity == Severity::error) return 0;
    if (c.outcome == Outcome::inconclusive && c.severity == Severity::error) return 1;
    if (c.severity == Severity::warning) return 2;
    return 3;
}

}  // namespace

std::string certificate_cell(const PortObservation& o) {
    if (!o.tls) return "-";
    const auto& t = *o.tls;
    std::string cell = t.subject.empty() ? std::string("(no certificate)") : short_subject(t.subject);
    cell += t.chain_verified ? ", verified" : ", unverified";
    if (!t.hostname_matches) cell += ", name mismatch";
    if (t.days_left) {
        if (*t.days_left < 0)
            cell += ", expired " + std::to_string(-*t.days_left) + "d ago";
        else
            cell += ", " + std::to_string(*t.days_left) + "d left";
    }
    return core::visible(cell);
}

std::string render_table(const Judgement& judgement, bool color) {
    std::vector<std::vector<std::string>> rows;
    rows.push_back({"PORT", "ROLE", "SERVICE", "TLS MODE", "VERSION", "CERTIFICATE", "VERDICT"});
    for (const auto& p : judgement.ports) {
        const auto& o = p.observation;
        std::string version = o.tls ? o.tls->version : std::string("-");
        if (o.legacy_tls_accepted && *o.legacy_tls_accepted) version += " (+" + o.legacy_tls_version + ")";
        rows.push_back({std::to_string(o.port), p.role ? p.role->role : std::string("-"), service_cell(o),
                        tls_mode_cell(o), core::visible(version), certificate_cell(o), p.verdict()});
    }
    std::vector<std::size_t> widths(rows[0].size(), 0);
    for (const auto& row : rows)
        for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], width(row[i]));
    std::string out;
    for (const auto& row : rows) {
        std::string line;
        for (std::size_t i = 0; i < row.size(); ++i) {
            bool last = i + 1 == row.size();
            std::string cell = last ? row[i] : pad(row[i], widths[i]);
            if (last && color && &row != &rows[0] && *color_for(row[i]))
                cell = std::string(color_for(row[i])) + cell + "\x1b[0m";
            line += cell;
            if (!last) line += "  ";
        }
        out += line + "\n";
    }
    return out;
}

std::string render_findings(const Judgement& judgement) {
    struct Item {
        int rank;
        unsigned short port;
        const CheckResult* check;
    };
    std::vector<Item> items;
    for (const auto& p : judgement.ports)
        for (const auto& c : p.checks)
            if (c.outcome == Outcome::finding || c.outcome == Outcome::inconclusive)
                items.push_back({rank(c), p.observation.port, &c});
    std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) { return a.rank < b.rank; });
    std::size_t check_width = 0;
    for (const auto& i : items) check_width = std::max(check_width, i.check->check.size());
    std::string out;
    for (const auto& i : items) {
        std::string label = i.check->outcome == Outcome::inconclusive ? std::string("inconclusive")
                                                                       : to_string(i.check->severity);
        out += pad(label, 12) + " " + pad(std::to_string(i.port), 5) + " " + pad(i.check->check, check_width) +
               "  " + core::visible(i.check->message);
        if (!i.check->rfc.empty()) out += " [" + i.check->rfc + "]";
        out += "\n";
    }
    return out;
}

std::string render_summary(const Judgement& judgement) {
    std::map<std::string, int> verdicts;
    for (const auto& p : judgement.ports) ++verdicts[p.verdict()];
    std::string out = std::to_string(judgement.ports.size()) + " port(s):";
    bool first = true;
    for (const auto& [v, n] : verdicts) {
        out += (first ? " " : ", ") + std::to_string(n) + " " + v;
        first = false;
    }
    out += "; " + std::to_string(judgement.count(Severity::error)) + " error(s), " +
           std::to_string(judgement.count(Severity::warning)) + " warning(s)";
    return out;
}

}  // namespace mailspec::harness::probe
