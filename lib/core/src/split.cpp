#include "mailspec/core/split.hpp"

namespace mailspec::core {

std::vector<std::string> split_any(std::string_view text, std::string_view delimiters) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < text.size()) {
        const std::size_t begin = text.find_first_not_of(delimiters, start);
        if (begin == std::string_view::npos) break;
        std::size_t end = text.find_first_of(delimiters, begin);
        if (end == std::string_view::npos) end = text.size();
        out.emplace_back(text.substr(begin, end - begin));
        start = end;
    }
    return out;
}

}  // namespace mailspec::core
