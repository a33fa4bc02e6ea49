// IMAP dates (RFC 3501 §9 date, date-time) and RFC 5322 §3.3 Date: header values; a parsed
// date-time formats back to a string that parses to the same instant and zone.
#include "common/fuzz_support.hpp"
#include "mailspec/protocol/imap/date_time.hpp"

using namespace mailspec;
using namespace mailspec::protocol::imap;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size > fuzz::kMaxInput) return 0;
    const std::string_view text = fuzz::as_view(data, size);
    (void)parse_search_date(text);
    if (auto dt = parse_date_time(text)) {
        (void)dt->local_day();
        const std::string formatted = format_date_time(*dt);
        auto back = parse_date_time(formatted);
        FUZZ_CHECK(back.has_value());
        FUZZ_CHECK(back->utc_seconds == dt->utc_seconds && back->zone_minutes == dt->zone_minutes);
    }
    if (auto dt = parse_rfc5322_date(text)) {
        (void)dt->local_day();
        (void)format_date_time(*dt);
    }
    return 0;
}
