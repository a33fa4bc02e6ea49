#include "capabilities.hpp"

#include <algorithm>
#include <cctype>

namespace mailspec::harness::probe {

namespace {

std::string upper(std::string_view text) {
    std::string out(text);
    for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

std::vector<std::string> words(std::string_view text) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    while (pos < text.size()) {
        while (pos < text.size() && text[pos] == ' ') ++pos;
        std::size_t start = pos;
        while (pos < text.size() && text[pos] != ' ') ++pos;
        if (pos > start) out.emplace_back(text.substr(start, pos - start));
    }
    return out;
}

bool is_plaintext_mechanism(std::string_view mechanism) {
    return mechanism == "PLAIN" || mechanism == "LOGIN";
}

}  // namespace

std::string capability_keyword(std::string_view line) {
    auto space = line.find(' ');
    return upper(line.substr(0, space));
}

CapabilitySummary summarize_capabilities(Service service, const std::vector<std::string>& capabilities) {
    CapabilitySummary summary;
    bool login_disabled = false;
    bool imap_plain_mechanism = false;
    for (const auto& line : capabilities) {
        std::string keyword = capability_keyword(line);
        switch (service) {
            case Service::smtp:
                if (keyword == "STARTTLS") summary.starttls = true;
                if (keyword == "AUTH" || keyword.rfind("AUTH=", 0) == 0) {
                    // "AUTH PLAIN LOGIN" and the pre-standard "AUTH=PLAIN LOGIN" form.
                    summary.auth_offered = true;
                    std::string rest = upper(line.substr(std::min(line.size(), std::size_t{5})));
                    for (auto& m : words(rest))
                        if (std::find(summary.mechanisms.begin(), summary.mechanisms.end(), m) ==
                            summary.mechanisms.end())
                            summary.mechanisms.push_back(m);
                }
                break;
            case Service::pop3:
                if (keyword == "STLS") summary.starttls = true;
                if (keyword == "USER") summary.auth_offered = true;
                if (keyword == "SASL") {
                    auto mechs = words(upper(line.substr(std::min(line.size(), std::size_t{5}))));
                    if (!mechs.empty()) summary.auth_offered = true;
                    summary.mechanisms.insert(summary.mechanisms.end(), mechs.begin(), mechs.end());
                }
                break;
            case Service::imap:
                if (keyword == "STARTTLS") summary.starttls = true;
                if (keyword == "LOGINDISABLED") login_disabled = true;
                if (keyword.rfind("AUTH=", 0) == 0) {
                    std::string mechanism = keyword.substr(5);
                    summary.mechanisms.push_back(mechanism);
                    if (is_plaintext_mechanism(mechanism)) imap_plain_mechanism = true;
                }
                break;
            case Service::unknown:
                break;
        }
    }
    if (service == Service::imap) summary.auth_offered = !login_disabled || imap_plain_mechanism;
    return summary;
}

std::vector<std::string> imap_capability_atoms(std::string_view text) {
    std::string up = upper(text);
    auto code = up.find("[CAPABILITY ");
    if (code != std::string::npos) {
        auto end = up.find(']', code);
        if (end == std::string::npos) return {};
        auto start = code + 12;
        return words(text.substr(start, end - start));
    }
    if (up.rfind("* CAPABILITY", 0) == 0 && (up.size() == 12 || up[12] == ' '))
        return words(text.substr(12));
    return {};
}

}  // namespace mailspec::harness::probe
