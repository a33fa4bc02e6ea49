#include "mailspec/protocol/mime/message.hpp"

#include <gtest/gtest.h>

namespace mime = mailspec::protocol::mime;

namespace {

const std::string kNested =
    "From: a@x\r\n"
    "Subject: nested\r\n"
    "Content-Type: multipart/mixed; boundary=\"outer\"\r\n"
    "\r\n"
    "preamble\r\n"
    "--outer\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "\r\n"
    "first part\r\n"
    "--outer\r\n"
    "Content-Type: message/rfc822\r\n"
    "\r\n"
    "Subject: inner\r\n"
    "Content-Type: multipart/alternative; boundary=inner\r\n"
    "\r\n"
    "--inner\r\n"
    "\r\n"
    "inner one\r\n"
    "--inner\r\n"
    "Content-Type: text/html\r\n"
    "\r\n"
    "<b>inner two</b>\r\n"
    "--inner--\r\n"
    "--outer--\r\n"
    "epilogue\r\n";

std::string cut(const std::string& raw, const mime::Part& root, std::vector<unsigned> path,
                mime::SectionText text = mime::SectionText::none) {
    auto r = mime::section_range(root, path, text);
    if (!r) return "<none>";
    return raw.substr(r->first, r->second - r->first);
}

}  // namespace

TEST(MimeMessage, NestedTree) {
    auto root = mime::parse_message(kNested);
    ASSERT_TRUE(root.is_multipart());
    ASSERT_EQ(root.children.size(), 2u);
    EXPECT_EQ(root.children[0].type, "text");
    EXPECT_EQ(root.children[0].params[0].value, "utf-8");
    const auto& msg = root.children[1];
    ASSERT_TRUE(msg.is_message_rfc822());
    ASSERT_EQ(msg.children.size(), 1u);
    const auto& inner = msg.children[0];
    EXPECT_EQ(inner.subtype, "alternative");
    ASSERT_EQ(inner.children.size(), 2u);
    EXPECT_EQ(inner.children[0].type, "text");  // default without a header
    EXPECT_EQ(inner.children[1].subtype, "html");
}

TEST(MimeMessage, Sections) {
    auto root = mime::parse_message(kNested);
    using T = mime::SectionText;
    EXPECT_EQ(cut(kNested, root, {1}), "first part");
    EXPECT_EQ(cut(kNested, root, {1}, T::mime), "Content-Type: text/plain; charset=utf-8\r\n\r\n");
    EXPECT_EQ(cut(kNested, root, {2, 1}), "inner one");
    EXPECT_EQ(cut(kNested, root, {2, 2}), "<b>inner two</b>");
    EXPECT_EQ(cut(kNested, root, {2}, T::header).substr(0, 15), "Subject: inner\r");
    EXPECT_EQ(cut(kNested, root, {2}, T::text).substr(0, 7), "--inner");
    EXPECT_EQ(cut(kNested, root, {}, T::header).substr(0, 9), "From: a@x");
    EXPECT_EQ(cut(kNested, root, {}), kNested);
    EXPECT_EQ(cut(kNested, root, {3}), "<none>");
    EXPECT_EQ(cut(kNested, root, {1, 1}), "<none>");
    EXPECT_EQ(cut(kNested, root, {1}, T::header), "<none>");
    EXPECT_EQ(cut(kNested, root, {}, T::mime), "<none>");
}

TEST(MimeMessage, SinglePartPartOne) {
    std::string raw = "Subject: x\r\n\r\nline1\r\nline2\r\n";
    auto root = mime::parse_message(raw);
    EXPECT_EQ(root.type, "text");
    EXPECT_EQ(root.body_lines, 2u);
    EXPECT_EQ(root.body_size(), 14u);
    EXPECT_EQ(cut(raw, root, {1}), "line1\r\nline2\r\n");
    EXPECT_EQ(cut(raw, root, {2}), "<none>");
}

TEST(MimeMessage, MalformedDegrades) {
    const char* cases[] = {
        "Content-Type: multipart/mixed\r\n\r\nno boundary\r\n",
        "Content-Type: multipart/mixed; boundary=x\r\n\r\nno delimiter at all\r\n",
        "Content-Type: garbage\r\n\r\nbody\r\n",
        "Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nunterminated part",
        "",
        "\r\n",
        "Content-Type: message/rfc822\r\n\r\n",
    };
    for (const char* c : cases) {
        auto root = mime::parse_message(c);
        EXPECT_FALSE(root.type.empty()) << c;
        EXPECT_LE(root.end, std::string(c).size());
    }
    EXPECT_EQ(mime::parse_message(cases[0]).type, "text");
    EXPECT_EQ(mime::parse_message(cases[2]).subtype, "plain");
    auto unterminated = mime::parse_message(cases[3]);
    ASSERT_EQ(unterminated.children.size(), 1u);
}

TEST(MimeMessage, DeepNestingIsBounded) {
    std::string raw;
    for (int i = 0; i < 200; ++i) raw += "Content-Type: multipart/mixed; boundary=b" + std::to_string(i) + "\r\n\r\n--b" + std::to_string(i) + "\r\n";
    raw += "\r\nleaf\r\n";
    auto root = mime::parse_message(raw);
    int depth = 0;
    const mime::Part* p = &root;
    while (!p->children.empty()) {
        p = &p->children[0];
        ++depth;
    }
    EXPECT_LE(depth, 33);
}

TEST(MimeMessage, DigestDefaultsToMessage) {
    std::string raw = "Content-Type: multipart/digest; boundary=d\r\n\r\n--d\r\n\r\nSubject: s\r\n\r\nx\r\n--d--\r\n";
    auto root = mime::parse_message(raw);
    ASSERT_EQ(root.children.size(), 1u);
    EXPECT_TRUE(root.children[0].is_message_rfc822());
}

TEST(MimeMessage, FilterHeaderFields) {
    std::string header = "From: a\r\nTo: b\r\nSubject: c\r\n d\r\n\r\n";
    EXPECT_EQ(mime::filter_header_fields(header, {"subject", "FROM"}, false), "From: a\r\nSubject: c\r\n d\r\n\r\n");
    EXPECT_EQ(mime::filter_header_fields(header, {"subject", "FROM"}, true), "To: b\r\n\r\n");
    EXPECT_EQ(mime::filter_header_fields(header, {"X"}, false), "\r\n");
}

// Random corruptions of a nested message: parsing and section cutting never leave the buffer.
TEST(MimeMessage, RandomCorruptionStaysInBounds) {
    std::uint32_t seed = 777;
    auto next = [&seed] {
        seed = seed * 1664525u + 1013904223u;
        return seed >> 8;
    };
    const std::string specials = "-\r\n:;=\"/()boundaryouterinner";
    for (int round = 0; round < 1500; ++round) {
        std::string raw = kNested;
        int edits = 1 + static_cast<int>(next() % 8);
        for (int e = 0; e < edits && !raw.empty(); ++e) {
            std::size_t pos = next() % raw.size();
            switch (next() % 3) {
            case 0: raw[pos] = specials[next() % specials.size()]; break;
            case 1: raw.erase(pos, 1 + next() % 10); break;
            default: raw.insert(pos, 1, specials[next() % specials.size()]); break;
            }
        }
        auto root = mime::parse_message(raw);
        for (int q = 0; q < 6; ++q) {
            std::vector<unsigned> path;
            for (unsigned d = next() % 4; d > 0; --d) path.push_back(1 + next() % 3);
            auto text = static_cast<mime::SectionText>(next() % 6);
            auto range = mime::section_range(root, path, text);
            if (range) {
                ASSERT_LE(range->first, range->second);
                ASSERT_LE(range->second, raw.size());
            }
        }
    }
}
