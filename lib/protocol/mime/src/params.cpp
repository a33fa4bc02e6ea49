// Content-Type style values with parameters (RFC 2045 §5.1), RFC 2231 continuations, RFC 2047
// encoded words, and base64 / quoted-printable decoding (RFC 2045 §6.7, §6.8).
#include "mailspec/protocol/mime/params.hpp"

#include <algorithm>
#include <map>

#include "mailspec/protocol/mime/header.hpp"

namespace mailspec::protocol::mime {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// RFC 2045 §5.1 tspecials end a token.
bool is_tspecial(char c) {
    return std::string_view("()<>@,;:\\\"/[]?=").find(c) != std::string_view::npos;
}

// Skips whitespace and RFC 5322 comments "( ... )" (nested, with quoted-pairs).
void skip_cfws(std::string_view s, std::size_t& i) {
    for (int guard = 0; guard < 100000 && i < s.size(); ++guard) {
        if (is_space(s[i])) {
            ++i;
        } else if (s[i] == '(') {
            int depth = 0;
            while (i < s.size()) {
                if (s[i] == '\\') { i += 2; continue; }
                if (s[i] == '(') ++depth;
                if (s[i] == ')' && --depth == 0) { ++i; break; }
                ++i;
            }
            if (i > s.size()) i = s.size();
        } else {
            break;
        }
    }
}

std::string read_quoted(std::string_view s, std::size_t& i) {  // s[i] == '"'
    std::string out;
    ++i;
    while (i < s.size() && s[i] != '"') {
        if (s[i] == '\\' && i + 1 < s.size()) ++i;
        out += s[i++];
    }
    if (i < s.size()) ++i;  // closing quote
    return out;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string percent_decode(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size()) {
            int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
            if (hi >= 0 && lo >= 0) {
                out += static_cast<char>(hi * 16 + lo);
                i += 2;
                continue;
            }
        }
        out += s[i];
    }
    return out;
}

std::string latin1_to_utf8(std::string_view s) {
    std::string out;
    for (unsigned char c : s) {
        if (c < 0x80) {
            out += static_cast<char>(c);
        } else {
            out += static_cast<char>(0xC0 | (c >> 6));
            out += static_cast<char>(0x80 | (c & 0x3F));
        }
    }
    return out;
}

struct Piece {
    std::string value;
    bool extended = false;  // "*" form: charset'lang'%XX in the first piece, %XX in all
};

}  // namespace

const std::string* ContentValue::param(std::string_view name) const {
    for (const auto& p : params)
        if (iequals(p.name, name)) return &p.value;
    return nullptr;
}

ContentValue parse_content_value(std::string_view s) {
    ContentValue out;
    std::size_t i = 0;
    skip_cfws(s, i);
    std::size_t start = i;
    while (i < s.size() && s[i] != ';' && !is_space(s[i]) && s[i] != '(') ++i;
    out.value = std::string(s.substr(start, i - start));

    // name -> (section number -> piece); order of first appearance kept in `order`.
    std::vector<std::string> order;
    std::map<std::string, std::map<unsigned, Piece>> pieces;
    for (int guard = 0; guard < 1000 && i < s.size(); ++guard) {
        skip_cfws(s, i);
        if (i >= s.size()) break;
        if (s[i] != ';') {  // junk: skip to the next parameter
            auto semi = s.find(';', i);
            if (semi == std::string_view::npos) break;
            i = semi;
        }
        ++i;
        skip_cfws(s, i);
        std::size_t name_start = i;
        while (i < s.size() && !is_space(s[i]) && !is_tspecial(s[i])) ++i;
        std::string name = to_lower(s.substr(name_start, i - name_start));
        skip_cfws(s, i);
        if (name.empty() || i >= s.size() || s[i] != '=') continue;
        ++i;
        skip_cfws(s, i);
        std::string value;
        if (i < s.size() && s[i] == '"') {
            value = read_quoted(s, i);
        } else {
            std::size_t vs = i;
            while (i < s.size() && s[i] != ';' && !is_space(s[i])) ++i;
            value = std::string(s.substr(vs, i - vs));
        }
        // RFC 2231 §3/§4: name*N, name*N*, name*
        bool extended = false;
        unsigned section = 0;
        std::string base = name;
        if (!base.empty() && base.back() == '*') {
            extended = true;
            base.pop_back();
        }
        auto star = base.rfind('*');
        if (star != std::string::npos && star + 1 < base.size() &&
            std::all_of(base.begin() + static_cast<long>(star) + 1, base.end(),
                        [](char c) { return c >= '0' && c <= '9'; }) &&
            base.size() - star - 1 <= 4) {
            section = static_cast<unsigned>(std::stoul(base.substr(star + 1)));
            base.resize(star);
        }
        if (base.empty()) continue;
        if (!pieces.count(base)) order.push_back(base);
        auto& slot = pieces[base];
        if (!slot.count(section)) slot[section] = Piece{value, extended};
    }
    for (const auto& name : order) {
        std::string joined;
        bool first = true;
        std::string charset;
        for (const auto& [section, piece] : pieces[name]) {
            std::string v = piece.value;
            if (piece.extended) {
                if (first) {  // charset'language'value
                    auto q1 = v.find('\'');
                    auto q2 = q1 == std::string::npos ? q1 : v.find('\'', q1 + 1);
                    if (q2 != std::string::npos) {
                        charset = to_lower(v.substr(0, q1));
                        v = v.substr(q2 + 1);
                    }
                }
                v = percent_decode(v);
            }
            joined += v;
            first = false;
        }
        if (charset == "iso-8859-1" || charset == "latin1") joined = latin1_to_utf8(joined);
        out.params.push_back(Param{name, joined});
    }
    return out;
}

std::string decode_base64(std::string_view in) {
    std::string out;
    unsigned buffer = 0;
    int bits = 0;
    for (char c : in) {
        int v;
        if (c >= 'A' && c <= 'Z') v = c - 'A';
        else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
        else if (c >= '0' && c <= '9') v = c - '0' + 52;
        else if (c == '+') v = 62;
        else if (c == '/') v = 63;
        else if (c == '=') break;
        else continue;
        buffer = (buffer << 6) | static_cast<unsigned>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((buffer >> bits) & 0xFF);
        }
    }
    return out;
}

std::string encode_base64(std::string_view in) {
    static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < in.size(); i += 3) {
        unsigned v = (static_cast<unsigned char>(in[i]) << 16) |
                     (static_cast<unsigned char>(in[i + 1]) << 8) | static_cast<unsigned char>(in[i + 2]);
        out += alphabet[(v >> 18) & 63];
        out += alphabet[(v >> 12) & 63];
        out += alphabet[(v >> 6) & 63];
        out += alphabet[v & 63];
    }
    if (i < in.size()) {
        unsigned v = static_cast<unsigned char>(in[i]) << 16;
        if (i + 1 < in.size()) v |= static_cast<unsigned char>(in[i + 1]) << 8;
        out += alphabet[(v >> 18) & 63];
        out += alphabet[(v >> 12) & 63];
        out += i + 1 < in.size() ? alphabet[(v >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

std::string decode_quoted_printable(std::string_view in) {
    std::string out;
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (in[i] != '=') {
            out += in[i];
            continue;
        }
        if (i + 1 < in.size() && (in[i + 1] == '\r' || in[i + 1] == '\n')) {  // soft line break
            ++i;
            if (in[i] == '\r' && i + 1 < in.size() && in[i + 1] == '\n') ++i;
            continue;
        }
        if (i + 2 < in.size()) {
            int hi = hex_value(in[i + 1]), lo = hex_value(in[i + 2]);
            if (hi >= 0 && lo >= 0) {
                out += static_cast<char>(hi * 16 + lo);
                i += 2;
                continue;
            }
        }
        out += '=';
    }
    return out;
}

std::string decode_encoded_words(std::string_view s) {
    std::string out;
    std::size_t i = 0;
    std::size_t pending_space_start = std::string::npos;  // whitespace after an encoded word
    bool last_was_word = false;
    while (i < s.size()) {
        if (s.compare(i, 2, "=?") == 0) {
            // =?charset?X?text?=
            auto q1 = s.find('?', i + 2);
            auto q2 = q1 == std::string_view::npos ? q1 : s.find('?', q1 + 1);
            auto end = q2 == std::string_view::npos ? q2 : s.find("?=", q2 + 1);
            if (end != std::string_view::npos && q2 == q1 + 2) {
                std::string charset = to_lower(s.substr(i + 2, q1 - i - 2));
                auto lang = charset.find('*');  // RFC 2231 §5 language suffix
                if (lang != std::string::npos) charset.resize(lang);
                char enc = static_cast<char>(s[q1 + 1] | 0x20);
                std::string_view text = s.substr(q2 + 1, end - q2 - 1);
                bool known = charset == "utf-8" || charset == "us-ascii" || charset == "iso-8859-1" ||
                             charset == "latin1";
                if (known && (enc == 'b' || enc == 'q') &&
                    text.find_first_of(" \t") == std::string_view::npos) {
                    std::string decoded;
                    if (enc == 'b') {
                        decoded = decode_base64(text);
                    } else {
                        std::string t(text);
                        std::replace(t.begin(), t.end(), '_', ' ');
                        decoded = decode_quoted_printable(t);
                    }
                    if (charset == "iso-8859-1" || charset == "latin1") decoded = latin1_to_utf8(decoded);
                    if (!last_was_word && pending_space_start != std::string::npos)
                        out.append(s.substr(pending_space_start, i - pending_space_start));
                    out += decoded;
                    pending_space_start = std::string::npos;
                    last_was_word = true;
                    i = end + 2;
                    continue;
                }
            }
        }
        if (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n') {
            if (pending_space_start == std::string::npos) pending_space_start = i;
            ++i;
            continue;
        }
        if (pending_space_start != std::string::npos) {
            out.append(s.substr(pending_space_start, i - pending_space_start));
            pending_space_start = std::string::npos;
        }
        last_was_word = false;
        out += s[i++];
    }
    if (pending_space_start != std::string::npos) out.append(s.substr(pending_space_start));
    return out;
}

}  // namespace mailspec::protocol::mime
