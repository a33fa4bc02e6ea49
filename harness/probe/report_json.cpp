#include "report_json.hpp"

#include <cstdio>

#include "mailspec/core/escape.hpp"
#include "report_table.hpp"

namespace mailspec::harness::probe {

std::string json_string(std::string_view raw) {
    // RFC 8259 §8.1: JSON text is UTF-8; bytes a server sent that are not become "<0xNN>".
    const std::string text = core::utf8_safe(raw);
    std::string out = "\"";
    for (unsigned char c : text) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (c < 0x20 || c == 0x7f) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", c);
                    out += buf;
                } else {
                    out += static_cast<char>(c);
                }
        }
    }
    return out + "\"";
}

namespace {

// Keeps track of commas and indentation for a small, readable document.
class Writer {
public:
    void begin_object() { open('{'); }
    void end_object() { close('}'); }
    void begin_array() { open('['); }
    void end_array() { close(']'); }
    void key(std::string_view k) {
        separator();
        out_ += json_string(k) + ": ";
        after_key_ = true;
    }
    void value_raw(const std::string& raw) {
        separator();
        out_ += raw;
    }
    void value(std::string_view s) { value_raw(json_string(s)); }
    void value(const char* s) { value(std::string_view(s)); }  // not the bool overload
    void value(bool b) { value_raw(b ? "true" : "false"); }
    void value(long n) { value_raw(std::to_string(n)); }
    void null() { value_raw("null"); }
    void value(const std::optional<bool>& b) { b ? value(*b) : null(); }
    void strings(const std::vector<std::string>& list) {
        begin_array();
        for (const auto& s : list) value(s);
        end_array();
    }
    std::string str() const { return out_ + "\n"; }

private:
    void separator() {
        if (after_key_) {
            after_key_ = false;
            return;
        }
        if (!first_.empty()) {
            if (!first_.back()) out_ += ",";
            first_.back() = false;
            out_ += "\n" + std::string(2 * first_.size(), ' ');
        }
    }
    void open(char c) {
        separator();
        out_ += c;
        first_.push_back(true);
    }
    void close(char c) {
        bool empty = first_.back();
        first_.pop_back();
        if (!empty) out_ += "\n" + std::string(2 * first_.size(), ' ');
        out_ += c;
    }
    std::string out_;
    std::vector<bool> first_;
    bool after_key_ = false;
};

void write_tls(Writer& w, const net::TlsInfo& t) {
    w.begin_object();
    w.key("version"); w.value(t.version);
    w.key("cipher"); w.value(t.cipher);
    w.key("subject"); w.value(t.subject);
    w.key("issuer"); w.value(t.issuer);
    w.key("subject_alt_names"); w.strings(t.subject_alt_names);
    w.key("not_after"); w.value(t.not_after);
    w.key("days_left");
    t.days_left ? w.value(*t.days_left) : w.null();
    w.key("chain_verified"); w.value(t.chain_verified);
    w.key("hostname_matches"); w.value(t.hostname_matches);
    w.key("verify_error"); w.value(t.verify_error);
    w.end_object();
}

}  // namespace

std::string render_json(const Judgement& j) {
    Writer w;
    w.begin_object();
    w.key("host"); w.value(j.host);
    w.key("policy"); w.begin_object();
    w.key("name"); w.value(j.policy_name);
    w.key("source"); w.value(j.policy_source);
    w.end_object();
    w.key("exit_code"); w.value(static_cast<long>(j.exit_code()));
    w.key("summary"); w.value(render_summary(j));
    w.key("ports");
    w.begin_array();
    for (const auto& p : j.ports) {
        const auto& o = p.observation;
        w.begin_object();
        w.key("port"); w.value(static_cast<long>(o.port));
        w.key("role"); p.role ? w.value(p.role->role) : w.null();
        w.key("state"); w.value(to_string(o.state));
        w.key("state_detail"); w.value(o.state_detail);
        w.key("service"); w.value(to_string(o.service));
        w.key("tls_mode"); w.value(to_string(o.tls_mode));
        w.key("greeting"); w.value(o.greeting);
        w.key("inconclusive"); o.inconclusive ? w.value(*o.inconclusive) : w.null();
        w.key("tls"); o.tls ? write_tls(w, *o.tls) : w.null();
        w.key("tls_failure"); w.value(o.tls_failure);
        w.key("capabilities_before_tls");
        o.capabilities_before_known ? w.strings(o.capabilities_before_tls) : w.null();
        w.key("capabilities_after_tls");
        o.capabilities_after_known ? w.strings(o.capabilities_after_tls) : w.null();
        w.key("auth_before_tls"); w.value(o.auth_before_tls);
        w.key("preauth"); w.value(o.preauth);
        w.key("legacy_tls_accepted"); w.value(o.legacy_tls_accepted);
        w.key("legacy_tls_version"); w.value(o.legacy_tls_version);
        w.key("starttls_readvertised"); w.value(o.starttls_readvertised);
        w.key("elapsed_ms"); w.value(static_cast<long>(o.elapsed.count()));
        w.key("verdict"); w.value(p.verdict());
        w.key("checks");
        w.begin_array();
        for (const auto& c : p.checks) {
            w.begin_object();
            w.key("check"); w.value(c.check);
            w.key("outcome"); w.value(to_string(c.outcome));
            w.key("severity"); w.value(to_string(c.severity));
            w.key("message"); w.value(c.message);
            w.key("rfc"); w.value(c.rfc);
            w.end_object();
        }
        w.end_array();
        w.key("transcript"); w.value(o.transcript);
        w.end_object();
    }
    w.end_array();
    w.end_object();
    return w.str();
}

}  // namespace mailspec::harness::probe
