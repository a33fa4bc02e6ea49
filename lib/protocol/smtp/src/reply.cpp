#include "mailspec/protocol/smtp/reply.hpp"

namespace mailspec::protocol::smtp {

std::string EnhancedStatus::to_string() const {
    return std::to_string(klass) + "." + std::to_string(subject) + "." + std::to_string(detail);
}

std::string format_reply(int code, std::optional<EnhancedStatus> enhanced,
                         const std::vector<std::string>& lines, const ReplyStyle& style) {
    const std::string code_text = std::to_string(code);
    const std::string prefix = enhanced ? enhanced->to_string() + " " : std::string();
    std::string out;
    if (lines.empty()) {
        out += code_text + " " + prefix;
        if (enhanced) out.pop_back();  // "334 " has no text; keep only what was asked for
        out += style.line_end;
        return out;
    }
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const bool last = i + 1 == lines.size();
        out += code_text;
        out += (last || style.wrong_continuation) ? ' ' : '-';
        out += prefix;
        out += lines[i];
        out += style.line_end;
    }
    return out;
}

}  // namespace mailspec::protocol::smtp
