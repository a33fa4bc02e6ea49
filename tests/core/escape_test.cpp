#include "mailspec/core/escape.hpp"

#include <gtest/gtest.h>

using mailspec::core::visible;
using mailspec::core::xml_safe;

TEST(Visible, MarksLineEndingsAndControls) {
    EXPECT_EQ(visible("250 OK\r\n"), "250 OK<CR><LF>");
    EXPECT_EQ(visible(std::string("a\0b", 3)), "a<0x00>b");
    EXPECT_EQ(visible("x\x7f"), "x<0x7F>");
}

TEST(Visible, KeepsValidUtf8AndMarksInvalidBytes) {
    EXPECT_EQ(visible("caf\xC3\xA9"), "caf\xC3\xA9");
    EXPECT_EQ(visible("\xFF\xC3"), "<0xFF><0xC3>");
}

TEST(Visible, BreaksAfterLfWhenAsked) {
    EXPECT_EQ(visible("a\r\nb\n", true), "a<CR><LF>\nb<LF>\n");
}

TEST(XmlSafe, RemovesCharactersXmlCannotCarry) {
    EXPECT_EQ(xml_safe("ok\tline\r\n"), "ok\tline\r\n");
    EXPECT_EQ(xml_safe("bell\x07"), "bell<0x07>");
    EXPECT_EQ(xml_safe("\xE2\x82"), "<0xE2><0x82>");
    EXPECT_EQ(xml_safe("\xE2\x82\xAC"), "\xE2\x82\xAC");
}

// Hostile bytes a server may send (issue 9 §6): every one of them leaves xml_safe() output that
// XML 1.0 accepts and utf8_safe() output that is valid UTF-8.
TEST(XmlSafe, EscapesInvalidUtf8FormsAndNonCharacters) {
    EXPECT_EQ(xml_safe(std::string("a\0b", 3)), "a<0x00>b");
    EXPECT_EQ(xml_safe("\xED\xA0\x80"), "<0xED><0xA0><0x80>");          // lone surrogate U+D800
    EXPECT_EQ(xml_safe("\xC0\xAF"), "<0xC0><0xAF>");                    // overlong '/'
    EXPECT_EQ(xml_safe("\xE0\x80\xAF"), "<0xE0><0x80><0xAF>");          // overlong, 3 bytes
    EXPECT_EQ(xml_safe("\xF4\x90\x80\x80"), "<0xF4><0x90><0x80><0x80>");  // past U+10FFFF
    EXPECT_EQ(xml_safe("\xEF\xBF\xBF"), "<0xEF><0xBF><0xBF>");          // U+FFFF: not an XML Char
    EXPECT_EQ(xml_safe("\xEF\xBF\xBE"), "<0xEF><0xBF><0xBE>");          // U+FFFE
    EXPECT_EQ(xml_safe("\xEF\xBF\xBD"), "\xEF\xBF\xBD");                // U+FFFD is fine
    EXPECT_EQ(xml_safe("\xF0\x9F\x93\xA7"), "\xF0\x9F\x93\xA7");        // U+1F4E7
    EXPECT_EQ(xml_safe("x\xC3"), "x<0xC3>");                            // truncated at the end
    EXPECT_EQ(xml_safe("\xC3\xC3\xA9"), "<0xC3>\xC3\xA9");              // resynchronises
}

TEST(Utf8Safe, KeepsValidTextAndEscapesInvalidBytes) {
    EXPECT_EQ(mailspec::core::utf8_safe("caf\xC3\xA9 \x01"), "caf\xC3\xA9 \x01");
    EXPECT_EQ(mailspec::core::utf8_safe("\xFF\xED\xB0\x80"), "<0xFF><0xED><0xB0><0x80>");
}

TEST(Visible, LinearOnAMegabyteOfGarbage) {
    std::string garbage;
    for (int i = 0; i < (1 << 20); ++i) garbage += static_cast<char>((i * 131 + 7) & 0xFF);
    std::string out = xml_safe(garbage);
    // Every byte either copied or escaped; the result holds no byte XML cannot carry.
    for (unsigned char c : out) EXPECT_TRUE(c >= 0x20 || c == '\t' || c == '\n' || c == '\r') << int(c);
    EXPECT_GE(out.size(), garbage.size());
}
