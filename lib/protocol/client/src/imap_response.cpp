// IMAP response framing, RFC 3501 §2.2.2 and §7 (and RFC 9051 §2.2.2):
//   response line = ( "*" SP ... / "+" [SP text] / tag SP ("OK" / "NO" / "BAD") ... ) CRLF
// A line ending in a literal announcement, RFC 3501 §4.3 "{" number "}" CRLF, RFC 7888 "{" number
// "+}" (LITERAL+), RFC 3516 / RFC 9051 "~{" number "}" (literal8), is followed by exactly `number`
// octets that belong to the same response; they are counted, never scanned for CRLF, and may hold
// any byte. The response then continues with the next line.
//
// Known simplification: any line ending in "{n}" is read as announcing a literal, also inside
// resp-text, as common client parsers do.
#include "mailspec/protocol/client/imap_response.hpp"

#include <cctype>
#include <optional>

#include "line_scan.hpp"

namespace mailspec::protocol::client {
namespace {

using detail::fail;
using detail::show_byte;
using detail::show_line;

struct LiteralSpec {
    std::size_t open_offset = 0;  // offset of "{" (or "~")
    unsigned long long size = 0;
};

// Recognises "{n}", "{n+}" or "~{n}" at the end of a line's content. Returns nothing when the line
// does not end in a literal announcement; sets `overflow` when the number has too many digits.
std::optional<LiteralSpec> literal_at_end(std::string_view buf, const detail::Line& line,
                                          bool& overflow) {
    overflow = false;
    std::string_view c = line.content(buf);
    if (c.empty() || c.back() != '}') return std::nullopt;
    std::size_t end = c.size() - 1;                    // index of "}"
    if (end > 0 && c[end - 1] == '+') --end;           // LITERAL+ / LITERAL-
    std::size_t digits_begin = end;
    while (digits_begin > 0 && std::isdigit(static_cast<unsigned char>(c[digits_begin - 1])))
        --digits_begin;
    if (digits_begin == end || digits_begin == 0 || c[digits_begin - 1] != '{') return std::nullopt;
    std::size_t open = digits_begin - 1;
    if (open > 0 && c[open - 1] == '~') --open;
    if (end - digits_begin > 18) {
        overflow = true;
        return LiteralSpec{line.begin + open, 0};
    }
    unsigned long long n = 0;
    for (std::size_t k = digits_begin; k < end; ++k) n = n * 10 + static_cast<unsigned>(c[k] - '0');
    return LiteralSpec{line.begin + open, n};
}

// RFC 3501 §9: tag = 1*<any ASTRING-CHAR except "+">; ATOM-CHAR excludes "(" ")" "{" SP CTL "%"
// "*" DQUOTE "\"; ASTRING-CHAR adds "]".
bool is_tag_char(char ch) {
    const auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c >= 0x7F) return false;
    switch (c) {
        case '(': case ')': case '{': case '%': case '*': case '"': case '\\': case '+':
            return false;
        default:
            return true;
    }
}

std::string upper(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

// The status keyword at `at` in the first line: the word up to SP or the end of the line.
std::string word_at(std::string_view first_line, std::size_t at) {
    if (at >= first_line.size()) return {};
    const std::size_t sp = first_line.find(' ', at);
    return upper(first_line.substr(at, sp == std::string_view::npos ? std::string_view::npos : sp - at));
}

// Classifies the response from its first line (content without CRLF, literal announcement
// included). Returns error for a line that is none of the three kinds.
FrameStatus classify(std::string_view buf, std::string_view first_line, ImapResponseLine& out,
                     FrameError& error) {
    if (first_line.empty()) {
        return fail(error, 0, "expected \"*\", \"+\" or a tag at the start of a response, found an empty line");
    }
    if (first_line[0] == '*') {
        if (first_line.size() < 2 || first_line[1] != ' ') {
            return fail(error, 1, "expected SP after \"*\" (RFC 3501 §7), found " + show_byte(buf, 1));
        }
        const std::string w = word_at(first_line, 2);
        out.kind = ImapResponseLine::Kind::untagged;
        if (w == "OK" || w == "NO" || w == "BAD" || w == "PREAUTH" || w == "BYE") out.status = w;
        return FrameStatus::complete;
    }
    if (first_line[0] == '+') {
        if (first_line.size() > 1 && first_line[1] != ' ') {
            return fail(error, 1,
                        "expected SP after \"+\" in a continuation request (RFC 3501 §7.5), found " +
                            show_byte(buf, 1));
        }
        out.kind = ImapResponseLine::Kind::continuation;
        return FrameStatus::complete;
    }
    std::size_t k = 0;
    while (k < first_line.size() && is_tag_char(first_line[k])) ++k;
    if (k == 0) {
        return fail(error, 0, "expected \"*\", \"+\" or a tag (RFC 3501 §9), found " + show_byte(buf, 0));
    }
    if (k >= first_line.size() || first_line[k] != ' ') {
        return fail(error, k,
                    "expected SP after the tag \"" + std::string(first_line.substr(0, k)) +
                        "\", found " + show_byte(buf, k));
    }
    const std::string w = word_at(first_line, k + 1);
    if (w != "OK" && w != "NO" && w != "BAD") {
        return fail(error, k + 1,
                    "expected OK, NO or BAD after the tag \"" + std::string(first_line.substr(0, k)) +
                        "\" (RFC 3501 §7.1), found " + show_line(buf, k + 1, first_line.size() - 1));
    }
    out.kind = ImapResponseLine::Kind::tagged;
    out.tag.assign(first_line.substr(0, k));
    out.status = w;
    return FrameStatus::complete;
}

}  // namespace

FrameStatus frame_imap_response(std::string_view buffered, const FrameLimits& limits,
                                ImapResponseLine& out, std::size_t& consumed, FrameError& error) {
    ImapResponseLine result;
    std::size_t pos = 0;
    bool first = true;
    for (;;) {
        detail::Line line;
        const FrameStatus s =
            detail::scan_line(buffered, pos, limits, false, "response line", line, error);
        if (s != FrameStatus::complete) return s;
        if (first) {
            if (classify(buffered, line.content(buffered), result, error) == FrameStatus::error)
                return FrameStatus::error;
            first = false;
        }
        bool overflow = false;
        const auto literal = literal_at_end(buffered, line, overflow);
        pos = line.next;
        if (!literal) break;
        // The literal is refused before any of its octets is waited for.
        if (overflow || literal->size > limits.max_response ||
            pos + literal->size > limits.max_response) {
            return fail(error, literal->open_offset,
                        "literal " + show_line(buffered, literal->open_offset, line.content_end - 1) +
                            " would make the response exceed the limit of " +
                            std::to_string(limits.max_response) + " bytes");
        }
        const auto size = static_cast<std::size_t>(literal->size);
        if (buffered.size() - pos < size) return FrameStatus::need_more;
        pos += size;
    }
    const std::size_t end = pos - 2;  // before the final CRLF
    result.text.assign(buffered.substr(0, end));
    result.raw.assign(buffered.substr(0, pos));
    out = std::move(result);
    consumed = pos;
    return FrameStatus::complete;
}

}  // namespace mailspec::protocol::client
