#include "mailspec/protocol/mime/address.hpp"

#include <gtest/gtest.h>

namespace mime = mailspec::protocol::mime;

namespace {
std::string show(const std::vector<mime::Address>& list) {
    std::string out;
    auto f = [](const std::optional<std::string>& s) { return s ? "\"" + *s + "\"" : std::string("NIL"); };
    for (const auto& a : list) out += "(" + f(a.name) + " " + f(a.route) + " " + f(a.mailbox) + " " + f(a.host) + ")";
    return out;
}
}  // namespace

TEST(MimeAddress, Table) {
    struct Case { const char* in; const char* out; };
    const Case cases[] = {
        {"alice@example.test", "(NIL NIL \"alice\" \"example.test\")"},
        {"Alice Smith <alice@example.test>", "(\"Alice Smith\" NIL \"alice\" \"example.test\")"},
        {"\"Smith, Alice\" <alice@x>, bob@y",
         "(\"Smith, Alice\" NIL \"alice\" \"x\")(NIL NIL \"bob\" \"y\")"},
        {"a@x (comment), <b@y>", "(NIL NIL \"a\" \"x\")(NIL NIL \"b\" \"y\")"},
        {"team: a@x, b@y;", "(NIL NIL \"team\" NIL)(NIL NIL \"a\" \"x\")(NIL NIL \"b\" \"y\")(NIL NIL NIL NIL)"},
        {"undisclosed-recipients:;", "(NIL NIL \"undisclosed-recipients\" NIL)(NIL NIL NIL NIL)"},
        {"<@r1,@r2:u@h>", "(NIL \"@r1,@r2\" \"u\" \"h\")"},
        {"nobody", "(NIL NIL \"nobody\" NIL)"},
        {"", ""},
        {"<unterminated@x", "(NIL NIL \"unterminated\" \"x\")"},
    };
    for (const auto& c : cases) EXPECT_EQ(show(mime::parse_address_list(c.in)), c.out) << c.in;
}
