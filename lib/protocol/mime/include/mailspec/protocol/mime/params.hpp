#pragma once
// Structured header values: Content-Type / Content-Disposition with parameters (RFC 2045 §5.1,
// RFC 2183), RFC 2231 parameter continuations and charset/language, RFC 2047 encoded words and
// Content-Transfer-Encoding decoding (RFC 2045 §6.7, §6.8). Pure code; malformed input degrades.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mailspec::protocol::mime {

struct Param {
    std::string name;   // attribute, lower-cased, RFC 2231 "*N" / "*" suffixes removed
    std::string value;  // unquoted; RFC 2231 continuations joined and %XX decoded
};

struct ContentValue {
    std::string value;              // "text/plain", "attachment" ... as written (trimmed)
    std::vector<Param> params;      // in order of first appearance
    const std::string* param(std::string_view name) const;
};

// Parses `token *(";" parameter)`; comments (RFC 5322 §3.2.2) are skipped, bad parameters dropped.
ContentValue parse_content_value(std::string_view raw);

// Decodes RFC 2047 encoded words (B and Q) whose charset is UTF-8, US-ASCII or ISO-8859-1 into
// UTF-8; whitespace between adjacent encoded words is removed (§6.2). Unknown charsets and malformed
// words are left as written.
std::string decode_encoded_words(std::string_view raw);

// Content-Transfer-Encoding decoders; invalid input bytes are skipped, never an error.
std::string decode_base64(std::string_view in);
std::string decode_quoted_printable(std::string_view in);
std::string encode_base64(std::string_view in);

}  // namespace mailspec::protocol::mime
