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
