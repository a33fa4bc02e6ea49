#include "mailspec/protocol/imap/fetch_items.hpp"

#include <gtest/gtest.h>

using namespace mailspec::protocol;
using imap::FetchItem;

namespace {
imap::Arg atom(const char* s) {
    imap::Arg a;
    a.value = s;
    return a;
}
std::string names(const std::vector<FetchItem>& items) {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : " ") + i.response_name();
    return out;
}
}  // namespace

TEST(ImapFetchItems, Macros) {
    std::string error;
    EXPECT_EQ(names(*imap::parse_fetch_items(atom("ALL"), error)), "FLAGS INTERNALDATE RFC822.SIZE ENVELOPE");
    EXPECT_EQ(names(*imap::parse_fetch_items(atom("fast"), error)), "FLAGS INTERNALDATE RFC822.SIZE");
    EXPECT_EQ(names(*imap::parse_fetch_items(atom("FULL"), error)), "FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODY");
}

TEST(ImapFetchItems, SectionsTable) {
    struct Case { const char* in; const char* name; bool peek; mime::SectionText text; std::size_t path; };
    using T = mime::SectionText;
    const Case cases[] = {
        {"BODY[]", "BODY[]", false, T::none, 0},
        {"body.peek[1.2.MIME]", "BODY[1.2.MIME]", true, T::mime, 2},
        {"BODY[HEADER.FIELDS (From to)]", "BODY[HEADER.FIELDS (From to)]", false, T::header_fields, 0},
        {"BODY.PEEK[3.HEADER.FIELDS.NOT (X-A)]<5.10>", "BODY[3.HEADER.FIELDS.NOT (X-A)]<5>", true, T::header_fields_not, 1},
        {"BODY[TEXT]<0.1>", "BODY[TEXT]<0>", false, T::text, 0},
        {"BODY[2.header]", "BODY[2.HEADER]", false, T::header, 1},
    };
    for (const auto& c : cases) {
        std::string error;
        auto items = imap::parse_fetch_items(atom(c.in), error);
        ASSERT_TRUE(items) << c.in << ": " << error;
        ASSERT_EQ(items->size(), 1u);
        const auto& i = (*items)[0];
        EXPECT_EQ(i.response_name(), c.name) << c.in;
        EXPECT_EQ(i.peek, c.peek) << c.in;
        EXPECT_EQ(i.text, c.text) << c.in;
        EXPECT_EQ(i.path.size(), c.path) << c.in;
        EXPECT_EQ(i.sets_seen(), !c.peek) << c.in;
    }
}

TEST(ImapFetchItems, Errors) {
    const char* bad[] = {"BODY[0]", "BODY[MIME]", "BODY[HEADER.FIELDS]", "BODY[FOO]", "BODY[]<1>",
                         "BODY[]<0.0>", "NOPE", "BODY[1.]", "BODY[1"};
    for (const char* b : bad) {
        std::string error;
        EXPECT_FALSE(imap::parse_fetch_items(atom(b), error)) << b;
        EXPECT_FALSE(error.empty()) << b;
    }
    imap::Arg list;
    list.kind = imap::Arg::Kind::list;
    std::string error;
    EXPECT_FALSE(imap::parse_fetch_items(list, error));
    list.items.push_back(atom("ALL"));  // macros are not allowed inside a list
    EXPECT_FALSE(imap::parse_fetch_items(list, error));
    list.items = {atom("UID"), atom("RFC822.SIZE")};
    EXPECT_EQ(names(*imap::parse_fetch_items(list, error)), "UID RFC822.SIZE");
}
