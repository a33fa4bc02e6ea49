#include "mailspec/protocol/smtp/sasl.hpp"

#include "mailspec/protocol/smtp/base64.hpp"

namespace mailspec::protocol::smtp {

Parsed<PlainCredentials> decode_sasl_plain(std::string_view message) {
    const auto first = message.find('\0');
    const auto second = first == std::string_view::npos ? first : message.find('\0', first + 1);
    if (second == std::string_view::npos)
        return ParseError{ParseErrorKind::syntax, message.size(),
                          "expected authzid NUL authcid NUL password (RFC 4616 §2), found fewer than 2 NULs"};
    if (message.find('\0', second + 1) != std::string_view::npos)
        return ParseError{ParseErrorKind::syntax, message.find('\0', second + 1),
                          "expected exactly 2 NULs in a PLAIN message (RFC 4616 §2), found more"};
    PlainCredentials out;
    out.authzid = std::string(message.substr(0, first));
    out.authcid = std::string(message.substr(first + 1, second - first - 1));
    out.password = std::string(message.substr(second + 1));
    if (out.authcid.empty())
        return ParseError{ParseErrorKind::syntax, first + 1, "the PLAIN authcid is empty (RFC 4616 §2)"};
    if (out.password.empty())
        return ParseError{ParseErrorKind::syntax, second + 1, "the PLAIN password is empty (RFC 4616 §2)"};
    if (out.authzid.size() > 255 || out.authcid.size() > 255 || out.password.size() > 255)
        return ParseError{ParseErrorKind::too_long, 0, "a PLAIN field exceeds 255 octets (RFC 4616 §2)"};
    return out;
}

Parsed<SaslResponse> decode_sasl_response(std::string_view line) {
    SaslResponse out;
    if (line == "*") {
        out.cancelled = true;
        return out;
    }
    if (line == "=") return out;
    auto decoded = base64_decode(line);
    if (!decoded) return decoded.error();
    out.data = std::move(decoded.value());
    return out;
}

}  // namespace mailspec::protocol::smtp
