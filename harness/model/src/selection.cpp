#include "mailspec/harness/model/selection.hpp"

#include <algorithm>
#include <cctype>

namespace mailspec::harness::model {

bool glob_match(std::string_view pattern, std::string_view text) {
    // Iterative matcher with one backtrack point for the last '*': linear in practice, no recursion.
    std::size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
    while (t < text.size()) {
        if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
            ++p;
            ++t;
        } else if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            mark = t;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            t = ++mark;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*') ++p;
    return p == pattern.size();
}

namespace {
std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

bool rfc_selected(const std::string& wanted, const std::string& rfc) {
    if (wanted.find('#') != std::string::npos) return rfc.rfind(wanted, 0) == 0;
    return rfc.substr(0, rfc.find('#')) == wanted;
}
}  // namespace

bool Selection::empty() const {
    return tags.empty() && protocols.empty() && id_globs.empty() && rfcs.empty() && levels.empty() && policy;
}

bool Selection::selects(const Scenario& s) const {
    if (!policy && s.judges == Judges::policy) return false;
    if (!tags.empty() && std::none_of(tags.begin(), tags.end(), [&](const std::string& t) {
            return std::find(s.tags.begin(), s.tags.end(), t) != s.tags.end();
        }))
        return false;
    if (!protocols.empty() && std::find(protocols.begin(), protocols.end(), to_string(s.protocol)) == protocols.end())
        return false;
    if (!id_globs.empty() && std::none_of(id_globs.begin(), id_globs.end(),
                                          [&](const std::string& g) { return glob_match(g, s.id); }))
        return false;
    if (!rfcs.empty() && std::none_of(rfcs.begin(), rfcs.end(),
                                      [&](const std::string& r) { return rfc_selected(r, s.rfc); }))
        return false;
    if (!levels.empty() && std::none_of(levels.begin(), levels.end(),
                                        [&](const std::string& l) { return lower(l) == lower(s.level); }))
        return false;
    return true;
}

}  // namespace mailspec::harness::model
