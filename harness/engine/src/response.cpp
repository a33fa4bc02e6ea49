#include "mailspec/harness/engine/response.hpp"

#include <algorithm>
#include <cctype>
#include <sstream>

namespace mailspec::harness::engine {
namespace {

std::string upper(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

std::vector<std::string> words(const std::string& line) {
    std::istringstream in(line);
    std::vector<std::string> out;
    for (std::string w; in >> w;) out.push_back(upper(w));
    return out;
}

// SMTP "AUTH PLAIN LOGIN" / POP3 "SASL PLAIN": the keyword plus KEYWORD=MECH for each mechanism.
void add_keyword_line(const std::string& line, const char* sasl_keyword, std::vector<std::string>& out) {
    const auto w = words(line);
    if (w.empty()) return;
    out.push_back(w[0]);
    if (w[0] == sasl_keyword)
        for (std::size_t i = 1; i < w.size(); ++i) out.push_back(w[0] + "=" + w[i]);
}

void add_imap_tokens(const std::string& text, std::vector<std::string>& out) {
    for (auto& w : words(text)) {
        while (!w.empty() && (w.back() == ']' || w.back() == ')')) w.pop_back();
        if (!w.empty()) out.push_back(w);
    }
}

}  // namespace

std::vector<std::string> capabilities_of(const Response& r) {
    std::vector<std::string> out;
    switch (r.protocol) {
        case model::Protocol::smtp:
            // RFC 5321 §4.1.1.1: the first line of the EHLO reply is the greeting, the others keywords.
            for (std::size_t i = 1; i < r.lines.size(); ++i) add_keyword_line(r.lines[i], "AUTH", out);
            break;
        case model::Protocol::pop3:
            // RFC 2449 §5: CAPA's body lines are "tag [params]"; lines[0] is the status line.
            for (std::size_t i = 1; i < r.lines.size(); ++i) add_keyword_line(r.lines[i], "SASL", out);
            break;
        case model::Protocol::imap:
            for (const auto& line : r.lines) {
                const std::string u = upper(line);
                if (u.rfind("* CAPABILITY ", 0) == 0) add_imap_tokens(line.substr(13), out);
                const auto code = u.find("[CAPABILITY ");
                if (code != std::string::npos) {
                    const auto end = u.find(']', code);
                    add_imap_tokens(line.substr(code + 12, end == std::string::npos ? std::string::npos : end - code - 12), out);
                }
            }
            break;
    }
    return out;
}

bool advertises(const Response& r, const std::string& capability) {
    const auto caps = capabilities_of(r);
    return std::find(caps.begin(), caps.end(), upper(capability)) != caps.end();
}

}  // namespace mailspec::harness::engine
