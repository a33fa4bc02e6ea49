#include "mailspec/protocol/imap/date_time.hpp"

#include <gtest/gtest.h>

using namespace mailspec::protocol::imap;

TEST(ImapDateTime, SearchDates) {
    EXPECT_EQ(parse_search_date("1-Jan-1970").value(), 0);
    EXPECT_EQ(parse_search_date("02-jan-1970").value(), 1);
    EXPECT_EQ(parse_search_date("1-Mar-2000").value(), days_from_civil(2000, 3, 1));
    for (const char* bad : {"", "1-Foo-2000", "32-Jan-2000", "29-Feb-2001", "1-Jan-20", "1 Jan 2000", "1-Jan-2000x"})
        EXPECT_FALSE(parse_search_date(bad)) << bad;
    EXPECT_TRUE(parse_search_date("29-Feb-2000"));
}

TEST(ImapDateTime, DateTimeRoundTrip) {
    auto dt = parse_date_time("17-Jul-1996 02:44:25 -0700");
    ASSERT_TRUE(dt);
    EXPECT_EQ(dt->zone_minutes, -420);
    EXPECT_EQ(dt->utc_seconds, days_from_civil(1996, 7, 17) * 86400 + 9 * 3600 + 44 * 60 + 25);
    EXPECT_EQ(format_date_time(*dt), "17-Jul-1996 02:44:25 -0700");
    auto padded = parse_date_time(" 7-Jul-1996 02:44:25 +0000");
    ASSERT_TRUE(padded);
    EXPECT_EQ(format_date_time(*padded), "07-Jul-1996 02:44:25 +0000");
    for (const char* bad : {"17-Jul-1996 02:44:25", "17-Jul-1996 24:00:00 +0000", "17-Jul-1996 02:44:25 +07", "x"})
        EXPECT_FALSE(parse_date_time(bad)) << bad;
}

TEST(ImapDateTime, Rfc5322Dates) {
    auto d = parse_rfc5322_date("Tue, 1 Jul 2003 10:52:37 +0200");
    ASSERT_TRUE(d);
    EXPECT_EQ(d->local_day(), days_from_civil(2003, 7, 1));
    auto late = parse_rfc5322_date("1 Jul 2003 23:30 -0500 (EST)");
    ASSERT_TRUE(late);
    EXPECT_EQ(late->local_day(), days_from_civil(2003, 7, 1));  // date as written, not UTC
    auto obs = parse_rfc5322_date("Fri, 21 Nov 97 09:55:06 GMT");
    ASSERT_TRUE(obs);
    EXPECT_EQ(obs->local_day(), days_from_civil(1997, 11, 21));
    EXPECT_FALSE(parse_rfc5322_date("not a date"));
}
