// RFC 3501 §7.4.2 ENVELOPE / BODY / BODYSTRUCTURE, §9 body grammar.
#include "mailspec/protocol/imap/body_structure.hpp"

#include "mailspec/protocol/imap/response_writer.hpp"
#include "mailspec/protocol/mime/address.hpp"

namespace mailspec::protocol::imap {
namespace {

using mime::Part;

std::string address_list(const std::optional<std::string>& raw) {
    if (!raw) return "NIL";
    auto list = mime::parse_address_list(*raw);
    if (list.empty()) return "NIL";
    std::string out = "(";
    for (const auto& a : list) {
        out += '(';
        out += nstring(a.name);
        out += ' ';
        out += nstring(a.route);
        out += ' ';
        out += nstring(a.mailbox);
        out += ' ';
        out += nstring(a.host);
        out += ')';
    }
    out += ')';
    return out;
}

std::string params(const std::vector<mime::Param>& list) {
    if (list.empty()) return "NIL";
    std::string out = "(";
    bool first = true;
    for (const auto& p : list) {
        if (!first) out += ' ';
        first = false;
        out += quote(mime::to_upper(p.name));
        out += ' ';
        out += quote(p.value);
    }
    out += ')';
    return out;
}

// body-fld-dsp SP body-fld-lang SP body-fld-loc (RFC 3501 §9 body-ext-1part / body-ext-mpart)
std::string disposition_language_location(const Part& part) {
    std::string out;
    if (part.disposition) {
        out += '(' + quote(mime::to_upper(part.disposition->value)) + ' ' + params(part.disposition->params) + ')';
    } else {
        out += "NIL";
    }
    out += ' ';
    if (part.language.empty()) {
        out += "NIL";
    } else if (part.language.size() == 1) {
        out += quote(part.language[0]);
    } else {
        out += '(';
        for (std::size_t i = 0; i < part.language.size(); ++i) {
            if (i) out += ' ';
            out += quote(part.language[i]);
        }
        out += ')';
    }
    out += ' ';
    out += nstring(part.location);
    return out;
}

}  // namespace

std::string render_envelope(const mime::Header& h) {
    auto from = h.value("From");
    auto sender = h.value("Sender");
    auto reply_to = h.value("Reply-To");
    std::string out = "(";
    out += nstring(h.value("Date"));
    out += ' ';
    out += nstring(h.value("Subject"));
    out += ' ';
    out += address_list(from);
    out += ' ';
    out += address_list(sender && !mime::parse_address_list(*sender).empty() ? sender : from);
    out += ' ';
    out += address_list(reply_to && !mime::parse_address_list(*reply_to).empty() ? reply_to : from);
    out += ' ';
    out += address_list(h.value("To"));
    out += ' ';
    out += address_list(h.value("Cc"));
    out += ' ';
    out += address_list(h.value("Bcc"));
    out += ' ';
    out += nstring(h.value("In-Reply-To"));
    out += ' ';
    out += nstring(h.value("Message-ID"));
    out += ')';
    return out;
}

std::string render_body_structure(const Part& part, bool ext) {
    std::string out = "(";
    if (part.is_multipart()) {
        for (const auto& child : part.children) out += render_body_structure(child, ext);
        out += ' ';
        out += quote(mime::to_upper(part.subtype));
        if (ext) {
            out += ' ';
            out += params(part.params);
            out += ' ';
            out += disposition_language_location(part);
        }
        out += ')';
        return out;
    }
    out += quote(mime::to_upper(part.type));
    out += ' ';
    out += quote(mime::to_upper(part.subtype));
    out += ' ';
    out += params(part.params);
    out += ' ';
    out += nstring(part.id);
    out += ' ';
    out += nstring(part.description);
    out += ' ';
    out += quote(part.encoding);
    out += ' ';
    out += std::to_string(part.body_size());
    if (part.is_message_rfc822() && part.children.size() == 1) {
        const Part& inner = part.children[0];
        out += ' ';
        out += render_envelope(inner.header);
        out += ' ';
        out += render_body_structure(inner, ext);
        out += ' ';
        out += std::to_string(part.body_lines);
    } else if (part.type == "text") {
        out += ' ';
        out += std::to_string(part.body_lines);
    }
    if (ext) {
        out += ' ';
        out += nstring(part.md5);
        out += ' ';
        out += disposition_language_location(part);
    }
    out += ')';
    return out;
}

}  // namespace mailspec::protocol::imap
