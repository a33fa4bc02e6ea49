#pragma once
// Result of the SMTP / POP3 command-argument parsers: either a value or an error that says where
// (byte offset into the text given to the parser) and what was expected versus found.
#include <cstddef>
#include <optional>
#include <string>
#include <utility>

namespace mailspec::protocol::smtp {

// Why a command argument was refused; the server maps each kind to a reply code.
enum class ParseErrorKind {
    syntax,          // the text does not match the grammar (RFC 5321 §4.1.2) -> 501
    too_long,        // a size limit of RFC 5321 §4.5.3.1 is exceeded -> 501 (path) / 500 (line)
    bad_parameter,   // a known ESMTP parameter with a bad value, or given twice -> 501
    unknown_parameter,  // an ESMTP parameter this server does not implement -> 555 (§4.1.1.11)
};

struct ParseError {
    ParseErrorKind kind = ParseErrorKind::syntax;
    std::size_t offset = 0;  // offset of the offending byte in the parsed text
    std::string message;     // "expected X, found Y" with bytes shown by core::visible
};

// Either a parsed value or the first error found. Never both.
template <class T>
class Parsed {
public:
    Parsed(T value) : value_(std::move(value)) {}
    Parsed(ParseError error) : error_(std::move(error)) {}
    explicit operator bool() const { return value_.has_value(); }
    const T& value() const { return *value_; }
    T& value() { return *value_; }
    const T* operator->() const { return &*value_; }
    const ParseError& error() const { return error_; }

private:
    std::optional<T> value_;
    ParseError error_;
};

}  // namespace mailspec::protocol::smtp
