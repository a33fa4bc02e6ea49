#pragma once
// SMTP reply formatting (RFC 5321 §4.2) with enhanced status codes (RFC 2034, RFC 3463).
// Enhanced codes come from the named constants in `status`, never from literals in the server.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mailspec::protocol::smtp {

// class.subject.detail, RFC 3463 §2.
struct EnhancedStatus {
    int klass = 2;
    int subject = 0;
    int detail = 0;
    std::string to_string() const;
};

// The codes the reference server uses, named after their RFC 3463 / 4954 / 6531 meaning.
namespace status {
inline constexpr EnhancedStatus ok{2, 0, 0};                    // generic success
inline constexpr EnhancedStatus sender_ok{2, 1, 0};             // 3463 §3.2 X.1.0 (MAIL accepted)
inline constexpr EnhancedStatus recipient_ok{2, 1, 5};          // X.1.5 destination address valid
inline constexpr EnhancedStatus message_accepted{2, 6, 0};      // X.6.0
inline constexpr EnhancedStatus auth_succeeded{2, 7, 0};        // 4954 §6: 235 2.7.0
inline constexpr EnhancedStatus cannot_verify{2, 5, 0};         // 252 for VRFY
inline constexpr EnhancedStatus other_permanent{5, 0, 0};       // X.0.0 (e.g. AUTH cancelled)
inline constexpr EnhancedStatus unknown_mailbox{5, 1, 1};       // X.1.1 bad destination mailbox
inline constexpr EnhancedStatus bad_destination_syntax{5, 1, 3};  // X.1.3
inline constexpr EnhancedStatus bad_sender_syntax{5, 1, 7};     // X.1.7
inline constexpr EnhancedStatus system_unavailable{4, 3, 2};    // X.3.2 not accepting messages
inline constexpr EnhancedStatus local_error{4, 3, 0};           // X.3.0 (store failure)
inline constexpr EnhancedStatus message_too_big{5, 3, 4};       // X.3.4
inline constexpr EnhancedStatus connection_timeout{4, 4, 2};    // X.4.2 bad connection
inline constexpr EnhancedStatus invalid_command{5, 5, 1};       // X.5.1 (also bad sequence)
inline constexpr EnhancedStatus syntax_error{5, 5, 2};          // X.5.2 (also line too long)
inline constexpr EnhancedStatus too_many_recipients{4, 5, 3};   // X.5.3
inline constexpr EnhancedStatus invalid_arguments{5, 5, 4};     // X.5.4
inline constexpr EnhancedStatus auth_line_too_long{5, 5, 6};    // 4954 §6: 500 5.5.6
inline constexpr EnhancedStatus non_ascii_address{5, 6, 7};     // 6531 §3.5
inline constexpr EnhancedStatus security{5, 7, 0};              // X.7.0 (530 auth required)
inline constexpr EnhancedStatus tls_unavailable{4, 7, 0};       // 3207 §4: 454 4.7.0
inline constexpr EnhancedStatus too_many_errors{4, 7, 0};       // 421 after repeated errors
inline constexpr EnhancedStatus not_authorized{5, 7, 1};        // X.7.1 relay refused
inline constexpr EnhancedStatus bad_credentials{5, 7, 8};       // 4954 §6: 535 5.7.8
inline constexpr EnhancedStatus encryption_required{5, 7, 11};  // 4954 §6: 538 5.7.11
}  // namespace status

// How replies are written. The defaults are the conforming form; the other settings exist only so
// the reference server can inject documented faults.
struct ReplyStyle {
    std::string_view line_end = "\r\n";  // fault smtp.bare-lf uses "\n"
    bool wrong_continuation = false;      // fault smtp.bad-continuation: SP instead of "-"
};

// Formats one reply. Every line but the last is "code-", the last "code SP" (§4.2.1). When
// `enhanced` is set, each line's text starts with the enhanced code and SP (RFC 2034 §4). An empty
// `lines` gives one line with no text ("334 ", RFC 4954 §4).
std::string format_reply(int code, std::optional<EnhancedStatus> enhanced,
                         const std::vector<std::string>& lines, const ReplyStyle& style = {});
inline std::string format_reply(int code, std::optional<EnhancedStatus> enhanced, std::string text,
                                const ReplyStyle& style = {}) {
    return format_reply(code, enhanced, std::vector<std::string>{std::move(text)}, style);
}

}  // namespace mailspec::protocol::smtp
