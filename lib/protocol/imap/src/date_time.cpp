// RFC 3501 §9 date / date-time, RFC 5322 §3.3 and §4.3 dates. Civil-date arithmetic per the
// well-known days-from-civil algorithm (proleptic Gregorian calendar).
#include "mailspec/protocol/imap/date_time.hpp"

#include <cctype>
#include <cstdio>

namespace mailspec::protocol::imap {
namespace {

const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

int month_index(std::string_view s) {
    if (s.size() != 3) return -1;
    for (int m = 0; m < 12; ++m) {
        bool eq = true;
        for (int k = 0; k < 3; ++k)
            if ((s[static_cast<std::size_t>(k)] | 0x20) != (kMonths[m][k] | 0x20)) eq = false;
        if (eq) return m + 1;
    }
    return -1;
}

bool read_int(std::string_view s, std::size_t& pos, std::size_t min_digits, std::size_t max_digits, int& out) {
    std::size_t start = pos;
    long v = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9' && pos - start < max_digits) {
        v = v * 10 + (s[pos] - '0');
        ++pos;
    }
    if (pos - start < min_digits) return false;
    out = static_cast<int>(v);
    return true;
}

unsigned days_in_month(int year, unsigned month) {
    static const unsigned d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : d[month - 1];
}

void skip_cfws(std::string_view s, std::size_t& pos) {
    for (int guard = 0; guard < 10000 && pos < s.size(); ++guard) {
        if (s[pos] == ' ' || s[pos] == '\t' || s[pos] == '\r' || s[pos] == '\n') {
            ++pos;
        } else if (s[pos] == '(') {
            int depth = 0;
            while (pos < s.size()) {
                if (s[pos] == '(') ++depth;
                else if (s[pos] == ')' && --depth == 0) { ++pos; break; }
                ++pos;
            }
        } else {
            break;
        }
    }
}

}  // namespace

std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

std::int64_t DateTime::local_day() const {
    std::int64_t local = utc_seconds + static_cast<std::int64_t>(zone_minutes) * 60;
    return local >= 0 ? local / 86400 : (local - 86399) / 86400;
}

std::optional<std::int64_t> parse_search_date(std::string_view s) {
    std::size_t pos = 0;
    int day = 0, year = 0;
    if (!read_int(s, pos, 1, 2, day) || pos >= s.size() || s[pos] != '-') return std::nullopt;
    ++pos;
    if (pos + 3 > s.size()) return std::nullopt;
    int month = month_index(s.substr(pos, 3));
    pos += 3;
    if (month < 0 || pos >= s.size() || s[pos] != '-') return std::nullopt;
    ++pos;
    if (!read_int(s, pos, 4, 4, year) || pos != s.size()) return std::nullopt;
    if (day < 1 || static_cast<unsigned>(day) > days_in_month(year, static_cast<unsigned>(month))) return std::nullopt;
    return days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
}

std::optional<DateTime> parse_date_time(std::string_view s) {
    std::size_t pos = 0;
    if (!s.empty() && s[0] == ' ') ++pos;  // date-day-fixed
    int day = 0, year = 0, hh = 0, mm = 0, ss = 0, zone = 0;
    if (!read_int(s, pos, 1, 2, day) || pos >= s.size() || s[pos] != '-') return std::nullopt;
    ++pos;
    if (pos + 3 > s.size()) return std::nullopt;
    int month = month_index(s.substr(pos, 3));
    pos += 3;
    if (month < 0 || pos >= s.size() || s[pos] != '-') return std::nullopt;
    ++pos;
    if (!read_int(s, pos, 4, 4, year) || pos >= s.size() || s[pos] != ' ') return std::nullopt;
    ++pos;
    if (!read_int(s, pos, 2, 2, hh) || pos >= s.size() || s[pos] != ':') return std::nullopt;
    ++pos;
    if (!read_int(s, pos, 2, 2, mm) || pos >= s.size() || s[pos] != ':') return std::nullopt;
    ++pos;
    if (!read_int(s, pos, 2, 2, ss) || pos >= s.size() || s[pos] != ' ') return std::nullopt;
    ++pos;
    if (pos >= s.size() || (s[pos] != '+' && s[pos] != '-')) return std::nullopt;
    int sign = s[pos] == '-' ? -1 : 1;
    ++pos;
    if (!read_int(s, pos, 4, 4, zone) || pos != s.size()) return std::nullopt;
    if (day < 1 || static_cast<unsigned>(day) > days_in_month(year, static_cast<unsigned>(month)) || hh > 23 ||
        mm > 59 || ss > 60 || zone % 100 > 59)
        return std::nullopt;
    DateTime out;
    out.zone_minutes = sign * ((zone / 100) * 60 + zone % 100);
    out.utc_seconds = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400 +
                      hh * 3600 + mm * 60 + ss - static_cast<std::int64_t>(out.zone_minutes) * 60;
    return out;
}

std::optional<DateTime> parse_rfc5322_date(std::string_view s) {
    std::size_t pos = 0;
    skip_cfws(s, pos);
    // optional day-of-week ","
    if (pos + 3 < s.size() && std::isalpha(static_cast<unsigned char>(s[pos]))) {
        auto comma = s.find(',', pos);
        if (comma != std::string_view::npos && comma - pos <= 9) pos = comma + 1;
    }
    skip_cfws(s, pos);
    int day = 0, year = 0, hh = 0, mm = 0, ss = 0;
    if (!read_int(s, pos, 1, 2, day)) return std::nullopt;
    skip_cfws(s, pos);
    if (pos + 3 > s.size()) return std::nullopt;
    int month = month_index(s.substr(pos, 3));
    if (month < 0) return std::nullopt;
    pos += 3;
    skip_cfws(s, pos);
    std::size_t ystart = pos;
    if (!read_int(s, pos, 2, 4, year)) return std::nullopt;
    if (pos - ystart == 2) year += year < 50 ? 2000 : 1900;  // RFC 5322 §4.3
    else if (pos - ystart == 3) year += 1900;
    skip_cfws(s, pos);
    if (!read_int(s, pos, 1, 2, hh) || pos >= s.size() || s[pos] != ':') return std::nullopt;
    ++pos;
    if (!read_int(s, pos, 1, 2, mm)) return std::nullopt;
    if (pos < s.size() && s[pos] == ':') {
        ++pos;
        if (!read_int(s, pos, 1, 2, ss)) return std::nullopt;
    }
    skip_cfws(s, pos);
    int zone_minutes = 0;
    if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
        int sign = s[pos] == '-' ? -1 : 1;
        ++pos;
        int zone = 0;
        if (read_int(s, pos, 4, 4, zone)) zone_minutes = sign * ((zone / 100) * 60 + zone % 100);
    } else if (pos < s.size()) {
        // obs-zone (RFC 5322 §4.3): UT, GMT, EST/EDT, CST/CDT, MST/MDT, PST/PDT; others are 0
        std::string_view z = s.substr(pos, 3);
        struct { const char* name; int minutes; } zones[] = {{"EST", -300}, {"EDT", -240}, {"CST", -360},
                                                             {"CDT", -300}, {"MST", -420}, {"MDT", -360},
                                                             {"PST", -480}, {"PDT", -420}};
        for (const auto& zz : zones)
            if (z.size() == 3 && (z[0] | 0x20) == (zz.name[0] | 0x20) && (z[1] | 0x20) == (zz.name[1] | 0x20) &&
                (z[2] | 0x20) == (zz.name[2] | 0x20))
                zone_minutes = zz.minutes;
    }
    if (day < 1 || static_cast<unsigned>(day) > days_in_month(year, static_cast<unsigned>(month)) || hh > 23 ||
        mm > 59 || ss > 60)
        return std::nullopt;
    DateTime out;
    out.zone_minutes = zone_minutes;
    out.utc_seconds = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400 +
                      hh * 3600 + mm * 60 + ss - static_cast<std::int64_t>(zone_minutes) * 60;
    return out;
}

std::string format_date_time(const DateTime& value) {
    std::int64_t local = value.utc_seconds + static_cast<std::int64_t>(value.zone_minutes) * 60;
    std::int64_t days = local >= 0 ? local / 86400 : (local - 86399) / 86400;
    std::int64_t secs = local - days * 86400;
    // civil-from-days
    std::int64_t z = days + 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    if (m <= 2) ++y;
    int zone = value.zone_minutes < 0 ? -value.zone_minutes : value.zone_minutes;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%02u-%s-%04lld %02d:%02d:%02d %c%02d%02d", d, kMonths[m - 1],
                  static_cast<long long>(y), static_cast<int>(secs / 3600), static_cast<int>(secs / 60 % 60),
                  static_cast<int>(secs % 60), value.zone_minutes < 0 ? '-' : '+', zone / 60, zone % 60);
    return buf;
}

}  // namespace mailspec::protocol::imap
