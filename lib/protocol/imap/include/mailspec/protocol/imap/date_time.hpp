#pragma once
// IMAP dates (RFC 3501 §9 date, date-time) and the RFC 5322 §3.3 Date header, as plain arithmetic
// on seconds since 1970-01-01T00:00:00Z. No clocks, no time zone database.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mailspec::protocol::imap {

struct DateTime {
    std::int64_t utc_seconds = 0;  // the instant
    int zone_minutes = 0;          // the zone it was written in (+0200 → 120)
    // Days since 1970-01-01 of the local date as written (what SEARCH SENT* compares).
    std::int64_t local_day() const;
};

// "1-Feb-1994" or "01-Feb-1994" (month names case-insensitive): days since 1970-01-01.
std::optional<std::int64_t> parse_search_date(std::string_view text);
// "17-Jul-1996 02:44:25 -0700" (day may be space-padded).
std::optional<DateTime> parse_date_time(std::string_view text);
// RFC 5322 §3.3 date-time with optional day-of-week, obsolete zones (§4.3) and comments.
std::optional<DateTime> parse_rfc5322_date(std::string_view text);
// Renders "dd-Mon-yyyy hh:mm:ss +zzzz" (INTERNALDATE, RFC 3501 §9 date-time).
std::string format_date_time(const DateTime& value);

// Days since 1970-01-01 for a proleptic Gregorian civil date (month 1..12).
std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day);

}  // namespace mailspec::protocol::imap
