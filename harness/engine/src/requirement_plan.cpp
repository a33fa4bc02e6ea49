#include "requirement_plan.hpp"

#include <cctype>
#include <vector>

namespace mailspec::harness::engine::detail {

using namespace model;

namespace {
// The first words of a command text; a raw send's escapes (\r, \n) and spaces separate them.
std::vector<std::string> leading_words(const std::string& text, std::size_t count) {
    std::vector<std::string> words;
    std::string cur;
    for (std::size_t i = 0; i < text.size() && words.size() < count; ++i) {
        const char c = text[i];
        const bool separator = c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\\';
        if (separator) {
            if (!cur.empty()) words.push_back(std::move(cur));
            cur.clear();
            if (c == '\\' && i + 1 < text.size()) ++i;  // the escape's letter is not part of a word
            continue;
        }
        cur += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    if (!cur.empty() && words.size() < count) words.push_back(std::move(cur));
    return words;
}
}  // namespace

bool is_capability_command(const std::string& text, Protocol protocol) {
    const auto words = leading_words(text, 2);
    switch (protocol) {
        case Protocol::smtp: return !words.empty() && words[0] == "EHLO";
        case Protocol::pop3: return !words.empty() && words[0] == "CAPA";
        case Protocol::imap: return words.size() == 2 && words[1] == "CAPABILITY";
    }
    return false;
}

const Step* first_connect(const Scenario& scenario) {
    for (const auto& step : scenario.steps)
        if (std::holds_alternative<Connect>(step.action)) return &step;
    return nullptr;
}

RequirementPlan plan_requirements(const Scenario& scenario, Protocol protocol) {
    RequirementPlan plan;
    plan.first_connect = first_connect(scenario);
    if (!plan.first_connect) return plan;
    const std::string& session = plan.first_connect->session;
    bool command_sent = false;
    bool after_connect = false;
    for (const auto& step : scenario.steps) {
        if (&step == plan.first_connect) {
            after_connect = true;
            continue;
        }
        if (!after_connect || step.session != session) continue;
        if (std::holds_alternative<Connect>(step.action)) break;  // a new connection: not the first session
        if (const auto* send = std::get_if<Send>(&step.action); send && is_capability_command(send->text, protocol))
            command_sent = true;
        if (command_sent && std::holds_alternative<Expect>(step.action)) {
            plan.deciding = &step;
            break;
        }
    }
    return plan;
}

}  // namespace mailspec::harness::engine::detail
