// The RFC 5321 §4.1.2 path / mailbox grammar (RFC 6531 UTF-8) on its own: the whole input as a
// Mailbox, a HELO domain, MAIL and RCPT arguments.
#include "common/fuzz_support.hpp"
#include "mailspec/protocol/smtp/address.hpp"

using namespace mailspec;
using namespace mailspec::protocol::smtp;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size > fuzz::kMaxInput) return 0;
    const std::string_view text = fuzz::as_view(data, size);
    if (auto m = parse_mailbox(text)) {
        FUZZ_CHECK(m->local_part.size() <= max_local_part && m->domain.size() <= max_domain);
        // A parsed mailbox is the text it came from.
        FUZZ_CHECK(m->address() == text);
        FUZZ_CHECK(bool(parse_mailbox(m->address())));
    } else {
        FUZZ_CHECK(m.error().offset <= text.size());
    }
    if (auto d = parse_hello_domain(text); !d) FUZZ_CHECK(d.error().offset <= text.size());
    if (auto f = parse_mail_from(text)) {
        if (f->sender) {
            FUZZ_CHECK(f->sender->address().size() <= max_path);
            FUZZ_CHECK(bool(parse_mailbox(f->sender->address())));
        }
    } else {
        FUZZ_CHECK(f.error().offset <= text.size());
    }
    if (auto r = parse_rcpt_to(text)) {
        if (!r->postmaster) FUZZ_CHECK(bool(parse_mailbox(r->recipient.address())));
    } else {
        FUZZ_CHECK(r.error().offset <= text.size());
    }
    return 0;
}
