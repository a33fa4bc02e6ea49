// The XML configuration loader: the shipped example loads, defaults follow the roles, and every
// error names file:line with what was expected.
#include "config/server_config.hpp"

#include <gtest/gtest.h>
#include <string>

namespace mailspec::server {
namespace {

std::string error_of(const std::string& xml) {
    try {
        parse_server_config(xml, "test.xml", "/base");
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "(no error)";
}

const char* kMinimal = R"(<server>
  <store path="store"/>
  <domain name="Example.TEST"/>
  <user login="alice" password="pw" address="alice@example.test"/>
  <endpoint name="smtp" port="2525"/>
</server>)";

TEST(ServerConfig, LoadsTheShippedExample) {
    auto config = load_server_config(MAILSPEC_FIXTURES_DIR "/reference-server.xml");
    EXPECT_EQ(config.hostname, "mail.example.test");
    ASSERT_EQ(config.endpoints.size(), 7u);
    EXPECT_EQ(config.users.size(), 2u);
    ASSERT_NE(config.find_user("bob"), nullptr);
    EXPECT_EQ(config.find_user("bob")->addresses.size(), 2u);
    EXPECT_EQ(config.find_user_by_address("POSTMASTER@example.test")->login, "bob");
    auto* submissions = config.find_endpoint("submissions");
    ASSERT_NE(submissions, nullptr);
    EXPECT_EQ(submissions->role, EndpointRole::submissions);
    EXPECT_EQ(submissions->tls, TlsMode::implicit);
    EXPECT_FALSE(submissions->offers_starttls());
    auto* pop3 = config.find_endpoint("pop3");
    EXPECT_EQ(pop3->protocol, Protocol::pop3);
    EXPECT_TRUE(pop3->offers_starttls());
    EXPECT_EQ(pop3->port, 10110);
    EXPECT_TRUE(config.store_path.is_absolute());
    EXPECT_FALSE(config.options.allow_plaintext_auth);
}

TEST(ServerConfig, MinimalUsesDefaults) {
    auto config = parse_server_config(kMinimal, "m.xml", "/base");
    EXPECT_EQ(config.store_path, std::filesystem::path("/base/store"));
    EXPECT_TRUE(config.is_local_domain("EXAMPLE.test"));
    EXPECT_FALSE(config.is_local_domain("other.test"));
    ASSERT_EQ(config.endpoints.size(), 1u);
    EXPECT_EQ(config.endpoints[0].role, EndpointRole::smtp_relay);
    EXPECT_EQ(config.endpoints[0].address, "127.0.0.1");
    EXPECT_EQ(config.limits.smtp_max_command_line, 512u);
    EXPECT_EQ(config.limits.smtp_idle_timeout, std::chrono::minutes(5));
}

TEST(ServerConfig, LimitsOptionsAndFaults) {
    auto config = parse_server_config(R"(<server>
  <store path="/abs"/>
  <endpoint name="in" role="imap" port="0" tls="implicit" starttls="false"/>
  <limits max-connections="3" smtp-idle-timeout="250ms" imap-idle-timeout="2m" max-literal="4K"/>
  <options allow-plaintext-auth="yes"/>
  <fault name="smtp.wrong-code" arg="MAIL:451"/>
  <fault name="net.bare-lf"/>
</server>)", "f.xml", "/base");
    EXPECT_EQ(config.store_path, std::filesystem::path("/abs"));
    EXPECT_EQ(config.limits.max_connections, 3u);
    EXPECT_EQ(config.limits.smtp_idle_timeout, std::chrono::milliseconds(250));
    EXPECT_EQ(config.limits.imap_idle_timeout, std::chrono::minutes(2));
    EXPECT_EQ(config.limits.max_literal, 4096u);
    EXPECT_TRUE(config.options.allow_plaintext_auth);
    ASSERT_EQ(config.faults.size(), 2u);
    EXPECT_EQ(config.faults[0].arg, "MAIL:451");
    EXPECT_TRUE(config.faults[0].has_arg);
    EXPECT_EQ(config.faults[0].where, "f.xml:6");
    EXPECT_FALSE(config.faults[1].has_arg);
    EXPECT_EQ(config.endpoints[0].tls, TlsMode::implicit);
}

TEST(ServerConfig, ErrorsNameFileAndLine) {
    EXPECT_EQ(error_of("<server><store path='x'/>\n<endpoint name='a' port='1' <\n").rfind(
                  "test.xml:2: malformed XML: ", 0),
              0u);
    EXPECT_NE(error_of("<server>\n<store path='x'/>\n<endpoint name='a' port='1' tsl='plain'/>\n"
                       "</server>")
                  .find("test.xml:3: unknown attribute 'tsl' on <endpoint>"),
              std::string::npos);
    EXPECT_NE(error_of("<server>\n<store path='x'/>\n<endpoint name='x' role='lmtp' port='1'/>"
                       "</server>")
                  .find("test.xml:3: endpoint 'x': unknown role 'lmtp'"),
              std::string::npos);
    EXPECT_NE(error_of("<server><store path='x'/>\n\n<endpoint name='smtp' port='70000'/></server>")
                  .find("test.xml:3: endpoint 'smtp': port must be 0..65535, got '70000'"),
              std::string::npos);
    EXPECT_NE(error_of("<server><store path='x'/><endpoint name='pop3' protocol='imap' port='1'/>"
                       "</server>")
                  .find("speaks pop3, but protocol is 'imap'"),
              std::string::npos);
    EXPECT_NE(error_of("<server><endpoint name='smtp' port='1'/></server>").find("needs a <store"),
              std::string::npos);
    EXPECT_NE(error_of("<server><store path='x'/></server>").find("at least one <endpoint>"),
              std::string::npos);
    EXPECT_NE(error_of("<config/>").find("test.xml:1: expected root element <server>"),
              std::string::npos);
    EXPECT_NE(error_of("<server><store path='x'/><endpoint name='smtp' port='1'/>\n<bogus/>"
                       "</server>")
                  .find("test.xml:2: unknown element <bogus>"),
              std::string::npos);
    EXPECT_NE(error_of("<server><store path='x'/><endpoint name='smtp' port='1'/>"
                       "<user login='a b' password='p'/></server>")
                  .find("only letters"),
              std::string::npos);
    EXPECT_NE(error_of("<server><store path='x'/><endpoint name='smtp' port='1'/>"
                       "<user login='a' password='p' address='a@elsewhere.test'/></server>")
                  .find("not in a local <domain>"),
              std::string::npos);
    EXPECT_NE(error_of("<server><store path='x'/><endpoint name='smtp' port='1'/>"
                       "<limits smtp-idle-timeout='5 minutes'/></server>")
                  .find("expected a positive duration"),
              std::string::npos);
    EXPECT_NE(error_of("<server><store path='x'/><endpoint name='smtp' port='1'/>"
                       "<limits smtp-max-command-line='100'/></server>")
                  .find("must be at least 512"),
              std::string::npos);
    EXPECT_NE(error_of("<server><store path='x'/><endpoint name='smtp' port='1'/>"
                       "<options allow-plaintext-auth='maybe'/></server>")
                  .find("expected true or false"),
              std::string::npos);
}

TEST(ServerConfig, MissingFileIsAnError) {
    try {
        load_server_config("/nonexistent/mailspec.xml");
        FAIL() << "expected ConfigError";
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("/nonexistent/mailspec.xml:0: cannot open"),
                  std::string::npos);
    }
}

TEST(ServerConfig, EphemeralHasSevenEndpointsAndTwoUsers) {
    auto config = ephemeral_config("/tmp/x");
    ASSERT_EQ(config.endpoints.size(), 7u);
    const char* names[] = {"smtp", "submission", "submissions", "pop3", "pop3s", "imap", "imaps"};
    for (int i = 0; i < 7; ++i) {
        EXPECT_EQ(config.endpoints[i].name, names[i]);
        EXPECT_EQ(config.endpoints[i].port, 0);
        EXPECT_EQ(config.endpoints[i].address, "127.0.0.1");
        EXPECT_EQ(to_string(config.endpoints[i].role), names[i]);
    }
    EXPECT_EQ(config.find_user_by_address("alice@example.test")->password, "secret1");
    EXPECT_EQ(config.find_user("bob")->password, "secret2");
    EXPECT_TRUE(config.is_local_domain("example.test"));
}

TEST(ParseDuration, Units) {
    std::chrono::milliseconds value{};
    EXPECT_TRUE(parse_duration("250ms", value));
    EXPECT_EQ(value.count(), 250);
    EXPECT_TRUE(parse_duration("30", value));
    EXPECT_EQ(value.count(), 30000);
    EXPECT_TRUE(parse_duration("2m", value));
    EXPECT_EQ(value.count(), 120000);
    EXPECT_FALSE(parse_duration("", value));
    EXPECT_FALSE(parse_duration("5h", value));
    EXPECT_FALSE(parse_duration("-1s", value));
}

}  // namespace
}  // namespace mailspec::server
