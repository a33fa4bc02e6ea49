#include "mailspec/harness/engine/variables.hpp"

namespace mailspec::harness::engine {

std::string regex_escape(std::string_view text) {
    std::string out;
    for (char c : text) {
        switch (c) {
            case '.': case '^': case '$': case '|': case '(': case ')': case '[': case ']': case '{': case '}':
            case '*': case '+': case '?': case '\\':
                out += '\\';
                [[fallthrough]];
            default:
                out += c;
        }
    }
    return out;
}

bool Variables::substitute(std::string_view text, std::string& out, std::string& missing, bool escape) const {
    out.clear();
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '$' && i + 1 < text.size() && text[i + 1] == '$') {
            out += '$';
            ++i;
            continue;
        }
        if (text[i] == '$' && i + 1 < text.size() && text[i + 1] == '{') {
            const auto close = text.find('}', i + 2);
            if (close != std::string_view::npos) {
                const std::string name(text.substr(i + 2, close - i - 2));
                const auto it = values_.find(name);
                if (it == values_.end()) {
                    missing = name;
                    return false;
                }
                out += escape ? regex_escape(it->second) : it->second;
                i = close;
                continue;
            }
        }
        out += text[i];
    }
    return true;
}

}  // namespace mailspec::harness::engine
