#pragma once
// Deterministic fault injection: each fault is a named, documented RFC violation that a session or
// the transport commits on purpose, so that every mailspec conformance check can be shown to fail.
// Faults are enabled with `--fault NAME[=ARG]` (repeatable) or <fault name= arg=> in the config.
// The table of known faults is in fault_table.cpp; protocol code may add entries there.
//
// A Faults object is built once at start-up and then only read (safe to share across threads).
#include <map>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace mailspec::server {

struct FaultInfo {
    std::string_view name;         // dotted: "smtp.wrong-code"
    std::string_view arg;          // argument form, e.g. "CMD:CODE", "N", "MS"; empty: takes none
    std::string_view description;  // one line: what the server does wrong
    std::string_view violates;     // the RFC clause broken, e.g. "RFC 5321 §4.5.2"
};

// Every known fault, sorted by name.
std::span<const FaultInfo> known_faults();
const FaultInfo* find_fault(std::string_view name);  // nullptr when unknown

// An unknown fault name, a missing or unexpected argument. what() names where it was given and,
// for an unknown name, lists every known one.
class FaultError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

class Faults {
public:
    Faults() = default;

    // Enables "NAME" or "NAME=ARG". `where` names the origin for errors ("--fault", "cfg.xml:12").
    // A fault may be enabled several times with different arguments (e.g. smtp.wrong-code for two
    // commands). Throws FaultError.
    void enable(std::string_view spec, std::string_view where = "--fault");
    void enable(std::string_view name, std::optional<std::string> arg, std::string_view where);

    bool has(std::string_view name) const;
    // The first argument given for `name`; nullopt when the fault is off or was given no argument.
    std::optional<std::string> arg(std::string_view name) const;
    // Every argument given for `name`, in order.
    std::vector<std::string> args(std::string_view name) const;
    // The argument as a non-negative integer (disconnect-at=N, greeting-delay=MS); nullopt when off.
    // enable() already rejected non-numeric arguments for faults whose arg is "N" or "MS".
    std::optional<long long> int_arg(std::string_view name) const;

    // For smtp.wrong-code=CMD:CODE: the code to use instead for command `command` (case-insensitive
    // verb such as "MAIL", "EHLO", "DATA" (the reply after the dot) or "GREETING"), if configured.
    std::optional<std::string> wrong_code_for(std::string_view command) const;

    bool empty() const { return enabled_.empty(); }
    // "name" or "name=arg" for each enabled fault, sorted, for the log line at start-up.
    std::vector<std::string> describe() const;

private:
    std::map<std::string, std::vector<std::optional<std::string>>, std::less<>> enabled_;
};

}  // namespace mailspec::server
