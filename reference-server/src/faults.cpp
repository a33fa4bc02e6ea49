// Fault registry: validation of names and arguments against the table in fault_table.cpp.
#include "faults.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace mailspec::server {

namespace {

std::string known_list() {
    std::string out;
    for (const auto& fault : known_faults()) {
        out += "\n  ";
        out += fault.name;
        if (!fault.arg.empty()) {
            out += '=';
            out += fault.arg;
        }
        out += "  ";
        out += fault.description;
    }
    return out;
}

bool parse_count(std::string_view text, long long& out) {
    if (text.empty()) return false;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && ptr == text.data() + text.size() && out >= 0;
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

// CMD:CODE where CODE is three digits with a first digit 2..5 (RFC 5321 §4.2).
bool valid_wrong_code(std::string_view arg) {
    auto colon = arg.find(':');
    if (colon == std::string_view::npos || colon == 0) return false;
    auto code = arg.substr(colon + 1);
    return code.size() == 3 && code[0] >= '2' && code[0] <= '5' &&
           std::isdigit(static_cast<unsigned char>(code[1])) &&
           std::isdigit(static_cast<unsigned char>(code[2]));
}

// CMD:STATUS where STATUS is OK, NO or BAD (RFC 3501 §7.1), for imap.wrong-status.
bool valid_wrong_status(std::string_view arg) {
    auto colon = arg.find(':');
    if (colon == std::string_view::npos || colon == 0) return false;
    auto status = arg.substr(colon + 1);
    return iequals(status, "OK") || iequals(status, "NO") || iequals(status, "BAD");
}

}  // namespace

const FaultInfo* find_fault(std::string_view name) {
    auto table = known_faults();
    auto it = std::find_if(table.begin(), table.end(),
                           [&](const FaultInfo& fault) { return fault.name == name; });
    return it == table.end() ? nullptr : &*it;
}

void Faults::enable(std::string_view spec, std::string_view where) {
    auto eq = spec.find('=');
    if (eq == std::string_view::npos) {
        enable(spec, std::nullopt, where);
    } else {
        enable(spec.substr(0, eq), std::string(spec.substr(eq + 1)), where);
    }
}

void Faults::enable(std::string_view name, std::optional<std::string> arg, std::string_view where) {
    const FaultInfo* info = find_fault(name);
    std::string prefix = std::string(where) + ": ";
    if (!info) {
        throw FaultError(prefix + "unknown fault '" + std::string(name) + "'; known faults:" +
                         known_list());
    }
    if (info->arg.empty() && arg) {
        throw FaultError(prefix + "fault '" + std::string(name) + "' takes no argument, got '" +
                         *arg + "'");
    }
    if (!info->arg.empty()) {
        if (!arg || arg->empty()) {
            throw FaultError(prefix + "fault '" + std::string(name) + "' needs an argument: " +
                             std::string(name) + "=" + std::string(info->arg));
        }
        long long number = 0;
        if ((info->arg == "N" || info->arg == "MS") && !parse_count(*arg, number)) {
            throw FaultError(prefix + "fault '" + std::string(name) +
                             "' expects a non-negative integer " + std::string(info->arg) +
                             ", got '" + *arg + "'");
        }
        if (info->arg == "N" && number == 0) {
            throw FaultError(prefix + "fault '" + std::string(name) +
                             "' counts commands from 1, got 0");
        }
        if (info->arg == "CMD:CODE" && !valid_wrong_code(*arg)) {
            throw FaultError(prefix + "fault '" + std::string(name) +
                             "' expects CMD:CODE such as MAIL:451 (code 200..599), got '" + *arg +
                             "'");
        }
        if (info->arg == "CMD:STATUS" && !valid_wrong_status(*arg)) {
            throw FaultError(prefix + "fault '" + std::string(name) +
                             "' expects CMD:STATUS such as FETCH:NO (STATUS OK, NO or BAD), got '" +
                             *arg + "'");
        }
    }
    enabled_[std::string(name)].push_back(std::move(arg));
}

bool Faults::has(std::string_view name) const { return enabled_.find(name) != enabled_.end(); }

std::optional<std::string> Faults::arg(std::string_view name) const {
    auto it = enabled_.find(name);
    if (it == enabled_.end()) return std::nullopt;
    for (const auto& arg : it->second) {
        if (arg) return arg;
    }
    return std::nullopt;
}

std::vector<std::string> Faults::args(std::string_view name) const {
    std::vector<std::string> out;
    auto it = enabled_.find(name);
    if (it == enabled_.end()) return out;
    for (const auto& arg : it->second) {
        if (arg) out.push_back(*arg);
    }
    return out;
}

std::optional<long long> Faults::int_arg(std::string_view name) const {
    auto text = arg(name);
    long long value = 0;
    if (!text || !parse_count(*text, value)) return std::nullopt;
    return value;
}

std::optional<std::string> Faults::wrong_code_for(std::string_view command) const {
    for (const auto& arg : args("smtp.wrong-code")) {
        auto colon = arg.find(':');
        if (iequals(std::string_view(arg).substr(0, colon), command)) return arg.substr(colon + 1);
    }
    return std::nullopt;
}

std::vector<std::string> Faults::describe() const {
    std::vector<std::string> out;
    for (const auto& [name, list] : enabled_) {
        for (const auto& arg : list) out.push_back(arg ? name + "=" + *arg : name);
    }
    return out;
}

}  // namespace mailspec::server
