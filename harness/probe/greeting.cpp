#include "greeting.hpp"

#include <cctype>

#include "mailspec/core/escape.hpp"

namespace mailspec::harness::probe {

namespace {

bool starts_with_word(std::string_view line, std::string_view word) {
    if (line.size() < word.size()) return false;
    for (std::size_t i = 0; i < word.size(); ++i)
        if (std::toupper(static_cast<unsigned char>(line[i])) != word[i]) return false;
    return line.size() == word.size() || line[word.size()] == ' ';
}

}  // namespace

GreetingClass classify_greeting(std::string_view line) {
    GreetingClass out;
    std::string shown = "\"" + core::visible(line.substr(0, 200)) + "\"";
    bool code = line.size() >= 3 && std::isdigit(static_cast<unsigned char>(line[0])) &&
                std::isdigit(static_cast<unsigned char>(line[1])) && std::isdigit(static_cast<unsigned char>(line[2])) &&
                (line.size() == 3 || line[3] == ' ' || line[3] == '-');
    if (code) {
        out.service = Service::smtp;
        std::string_view number = line.substr(0, 3);
        if (number == "220") {
            out.usable = true;
        } else if (number == "421") {
            out.problem = "421 greeting (service not available, RFC 5321 §3.8): " + shown;
        } else if (number == "554") {
            out.problem = "554 greeting (no SMTP service here, RFC 5321 §3.1): " + shown;
        } else {
            out.problem = "unexpected SMTP greeting code: " + shown;
        }
        return out;
    }
    if (starts_with_word(line, "+OK")) {
        out.service = Service::pop3;
        out.usable = true;
        return out;
    }
    if (starts_with_word(line, "-ERR")) {
        out.service = Service::pop3;
        out.problem = "POP3 -ERR greeting: " + shown;
        return out;
    }
    if (line.size() >= 2 && line[0] == '*' && line[1] == ' ') {
        std::string_view rest = line.substr(2);
        out.service = Service::imap;
        if (starts_with_word(rest, "OK") || starts_with_word(rest, "PREAUTH")) {
            out.usable = true;
            out.preauth = starts_with_word(rest, "PREAUTH");
        } else if (starts_with_word(rest, "BYE")) {
            out.problem = "IMAP BYE greeting (connection rejected, RFC 3501 §7.1.5): " + shown;
        } else {
            out.problem = "unexpected IMAP greeting: " + shown;
        }
        return out;
    }
    out.problem = "unrecognised greeting " + shown + " (expected SMTP 220, POP3 +OK or IMAP * OK)";
    return out;
}

}  // namespace mailspec::harness::probe
