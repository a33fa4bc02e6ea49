#pragma once
// The variable table of one scenario run: target variables (${user.login}, ${domain}, ...),
// built-ins (${run.id}: unique per scenario run, for unique message ids and mailbox names) and
// captures made by <line capture="...">. "$$" stands for a literal '$'.
#include <map>
#include <string>
#include <string_view>

namespace mailspec::harness::engine {

class Variables {
public:
    Variables() = default;
    explicit Variables(std::map<std::string, std::string> initial) : values_(std::move(initial)) {}

    void set(const std::string& name, std::string value) { values_[name] = std::move(value); }
    bool has(const std::string& name) const { return values_.count(name) != 0; }
    const std::map<std::string, std::string>& all() const { return values_; }

    // Replaces every ${name}. Returns false and names the first undefined variable in `missing`.
    // With `regex_escape`, substituted values are escaped so they match literally inside a regex.
    bool substitute(std::string_view text, std::string& out, std::string& missing, bool regex_escape = false) const;

private:
    std::map<std::string, std::string> values_;
};

// Escapes regex metacharacters so `text` matches itself literally.
std::string regex_escape(std::string_view text);

}  // namespace mailspec::harness::engine
