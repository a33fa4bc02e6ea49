// The mail transaction commands: MAIL (RFC 5321 §4.1.1.2), RCPT (§4.1.1.3), RSET (§4.1.1.5),
// with the role policy described in smtp_session.hpp.
#include "mailspec/protocol/smtp/address.hpp"
#include "smtp_faults.hpp"
#include "smtp_session.hpp"

namespace mailspec::server::smtp {

namespace status = codec::status;

namespace {

Refusal refusal_for(const codec::ParseError& error, codec::EnhancedStatus address_status) {
    const std::string where = " (at byte " + std::to_string(error.offset) + ")";
    switch (error.kind) {
    case codec::ParseErrorKind::unknown_parameter:  // RFC 5321 §4.1.1.11
        return {555, status::invalid_arguments, error.message + where};
    case codec::ParseErrorKind::bad_parameter:
        return {501, status::invalid_arguments, error.message + where};
    case codec::ParseErrorKind::too_long:  // §4.5.3.1.10-ish: "501 Path too long"
        return {501, address_status, error.message};
    case codec::ParseErrorKind::syntax:
    default:
        return {501, address_status, "syntax error in address: " + error.message + where};
    }
}

}  // namespace

void SmtpSession::handle_mail(const codec::CommandLine& command) {
    // Check (no side effects).
    if (is_submission_role() && !authenticated_) {
        if (starttls_available())  // RFC 3207 §4: the message for a server that requires TLS
            refuse({530, status::security, "Must issue a STARTTLS command first"});
        else  // RFC 4954 §6
            refuse({530, status::security, "Authentication required"});
        return;
    }
    auto parsed = codec::parse_mail_from(command.arguments);
    if (!parsed) {
        refuse(refusal_for(parsed.error(), status::bad_sender_syntax));
        return;
    }
    const auto& mail = parsed.value();
    if (mail.size && *mail.size > context_.config.limits.max_message_size) {
        // RFC 1870 §6.1: a declared size over the fixed maximum gets 552.
        reply(552, status::message_too_big,
              "message size " + std::to_string(*mail.size) + " exceeds the maximum of " +
                  std::to_string(context_.config.limits.max_message_size));
        return;
    }
    if (mail.sender && mail.sender->non_ascii && !mail.smtputf8) {
        reply(550, status::non_ascii_address, "non-ASCII sender address needs SMTPUTF8 (RFC 6531 §3.5)");
        return;
    }
    // Act.
    Envelope envelope;
    envelope.reverse_path = mail.sender ? mail.sender->address() : "";
    envelope.smtputf8 = mail.smtputf8;
    envelope.eight_bit = mail.body == codec::BodyType::eight_bit_mime;
    state_ = InTransaction{std::move(envelope)};
    reply(250, status::sender_ok, "sender <" + (mail.sender ? mail.sender->address() : "") + "> OK");
}

void SmtpSession::handle_rcpt(const codec::CommandLine& command) {
    auto& transaction = std::get<InTransaction>(state_);
    // Check.
    auto parsed = codec::parse_rcpt_to(command.arguments);
    if (!parsed) {
        refuse(refusal_for(parsed.error(), status::bad_destination_syntax));
        return;
    }
    const auto& rcpt = parsed.value();
    if (transaction.envelope.recipients.size() >= context_.config.limits.max_recipients) {
        // RFC 5321 §4.5.3.1.10: 452 for too many recipients.
        reply(452, status::too_many_recipients, "too many recipients");
        return;
    }
    if (rcpt.recipient.non_ascii && !transaction.envelope.smtputf8) {
        reply(553, status::non_ascii_address, "non-ASCII recipient address needs SMTPUTF8 (RFC 6531 §3.5)");
        return;
    }
    Recipient recipient;
    recipient.address = rcpt.recipient.address();
    const bool local_domain = rcpt.recipient.domain.empty() || context_.config.is_local_domain(rcpt.recipient.domain);
    if (rcpt.postmaster && local_domain) {
        // RFC 5321 §4.5.1: postmaster must be accepted; it reaches the first configured user.
        if (context_.config.users.empty()) {
            reply(550, status::unknown_mailbox, "no postmaster mailbox configured");
            return;
        }
        recipient.login = context_.config.users.front().login;
    } else if (local_domain) {
        recipient.login = context_.store.find_local_user(recipient.address);
        if (!recipient.login) {
            reply(550, status::unknown_mailbox, "no such user <" + recipient.address + ">");
            return;
        }
    } else if (!authenticated_ && !context_.faults.has(smtp_fault::open_relay)) {
        reply(550, status::not_authorized, "relay access denied for <" + recipient.address + ">");
        return;
    }
    // Act.
    transaction.envelope.recipients.push_back(std::move(recipient));
    reply(250, status::recipient_ok, "recipient <" + transaction.envelope.recipients.back().address + "> OK");
}

void SmtpSession::handle_rset(const codec::CommandLine& command) {
    if (!command.arguments.empty()) {
        refuse({501, status::invalid_arguments, "RSET takes no arguments"});
        return;
    }
    reset_transaction();
    reply(250, status::ok, "OK");
}

}  // namespace mailspec::server::smtp
