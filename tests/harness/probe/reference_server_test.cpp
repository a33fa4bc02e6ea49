// `mailspec probe` against the reference server (mailspec-server), laid out correctly and wrongly on
// purpose (issue 6): implicit TLS on the 587 role, plain text on the 993 role, no STARTTLS on the 25
// role, AUTH before TLS, TLS 1.0 allowed, an expired certificate, a greeting delayed past the
// timeout, a 421 greeting, STARTTLS re-advertised, replies split into single-octet writes. Each
// verdict is asserted. The server listens on ephemeral ports, so a policy maps them to roles.
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include <gtest/gtest.h>

#include "judge.hpp"
#include "policy_loader.hpp"
#include "probe_command.hpp"
#include "prober.hpp"
#include "reference_server_process.hpp"

namespace mailspec::harness::probe {
namespace {

using testing::ReferenceServer;
using namespace std::chrono_literals;

// Endpoint name of the reference server -> role it is judged as.
using Layout = std::vector<std::pair<std::string, std::string>>;

const Layout kCorrect = {{"smtp", "smtp"},   {"submission", "submission"}, {"submissions", "submissions"},
                         {"pop3", "pop3"},   {"pop3s", "pop3s"},           {"imap", "imap"},
                         {"imaps", "imaps"}};

std::string policy_xml(const ReferenceServer& server, const Layout& layout) {
    // The server's certificate is self-signed: the chain is not judged here, the name is.
    std::string xml = "<?xml version=\"1.0\"?>\n<probe-policy name=\"reference server\">\n"
                      "  <certificate chain=\"ignore\" host-name=\"required\" name=\"localhost\"/>\n";
    for (const auto& [endpoint, role] : layout)
        xml += "  <port number=\"" + std::to_string(server.port(endpoint)) + "\" role=\"" + role + "\"/>\n";
    return xml + "</probe-policy>\n";
}

struct Result {
    Judgement judgement;
    const PortJudgement& at(unsigned short port) const {
        for (const auto& p : judgement.ports)
            if (p.observation.port == port) return p;
        throw std::runtime_error("port not probed");
    }
};

Result probe_layout(const ReferenceServer& server, const Layout& layout, std::chrono::milliseconds timeout = 3000ms) {
    std::string error;
    auto policy = parse_policy(policy_xml(server, layout), "reference-server-policy.xml", error);
    if (!policy) throw std::runtime_error(error);
    ProbeOptions options;
    options.host = "127.0.0.1";
    options.timeout = timeout;
    options.server_name = "localhost";
    return {judge(probe_ports(policy_ports(*policy), options), *policy, {"127.0.0.1", false})};
}

const CheckResult& check(const PortJudgement& p, const std::string& id) {
    for (const auto& c : p.checks)
        if (c.check == id) return c;
    throw std::runtime_error("no check " + id + " on port " + std::to_string(p.observation.port));
}

std::string dump(const PortJudgement& p) {
    std::string out = "port " + std::to_string(p.observation.port) + " verdict " + p.verdict() + "\n";
    for (const auto& c : p.checks)
        out += "  " + c.check + " " + to_string(c.outcome) + " " + to_string(c.severity) + ": " + c.message + "\n";
    return out + p.observation.transcript;
}

// `id` on `p` is an error finding citing `rfc`.
void expect_error(const PortJudgement& p, const std::string& id, const std::string& rfc) {
    const auto& c = check(p, id);
    EXPECT_EQ(c.outcome, Outcome::finding) << dump(p);
    EXPECT_EQ(c.severity, Severity::error) << dump(p);
    EXPECT_NE(c.rfc.find(rfc), std::string::npos) << c.rfc;
    EXPECT_EQ(p.verdict(), "FAIL") << dump(p);
}

std::unique_ptr<ReferenceServer> start(std::vector<std::string> args) {
    return std::make_unique<ReferenceServer>(MAILSPEC_SERVER_EXECUTABLE, args);
}

TEST(ProbeReferenceServer, CorrectLayoutIsOkOnEveryPort) {
    auto server = start({"--ephemeral"});
    auto r = probe_layout(*server, kCorrect);
    ASSERT_EQ(r.judgement.ports.size(), 7u);
    for (const auto& p : r.judgement.ports) {
        EXPECT_EQ(p.verdict(), "OK") << dump(p);
        EXPECT_EQ(p.observation.legacy_tls_accepted, std::optional<bool>(false)) << dump(p);
        ASSERT_TRUE(p.observation.tls) << dump(p);
        EXPECT_TRUE(p.observation.tls->hostname_matches) << dump(p);
    }
    EXPECT_EQ(r.at(server->port("submission")).observation.tls_mode, TlsMode::starttls);
    EXPECT_EQ(r.at(server->port("imaps")).observation.tls_mode, TlsMode::implicit);
    EXPECT_EQ(r.judgement.exit_code(), 0);
}

TEST(ProbeReferenceServer, RepliesSplitIntoSingleOctetWritesAreFramedWhole) {
    auto server = start({"--ephemeral", "--fault", "net.split-writes"});
    auto r = probe_layout(*server, kCorrect);
    for (const auto& p : r.judgement.ports) EXPECT_EQ(p.verdict(), "OK") << dump(p);
    const auto& smtp = r.at(server->port("smtp")).observation;
    EXPECT_GE(smtp.capabilities_before_tls.size(), 2u);
}

TEST(ProbeReferenceServer, BareLfRepliesAreInconclusiveNeverNoStarttls) {
    auto server = start({"--ephemeral", "--fault", "net.bare-lf"});
    auto r = probe_layout(*server, kCorrect);
    for (const auto& p : r.judgement.ports) {
        EXPECT_EQ(p.verdict(), "INCONCLUSIVE") << dump(p);
        ASSERT_TRUE(p.observation.inconclusive);
        EXPECT_NE(p.observation.inconclusive->find("malformed"), std::string::npos) << *p.observation.inconclusive;
    }
}

TEST(ProbeReferenceServer, ImplicitTlsOnTheSubmissionRole) {
    auto server = start({"--ephemeral"});
    auto r = probe_layout(*server, {{"submissions", "submission"}});
    const auto& p = r.at(server->port("submissions"));
    expect_error(p, "tls-mode", "RFC 8314 §3.3");
    EXPECT_NE(check(p, "tls-mode").message.find("found implicit TLS"), std::string::npos);
    EXPECT_EQ(r.judgement.exit_code(), 1);
}

TEST(ProbeReferenceServer, PlainTextOnTheImapsRole) {
    auto server = start({"--ephemeral"});
    auto r = probe_layout(*server, {{"imap", "imaps"}});
    const auto& p = r.at(server->port("imap"));
    expect_error(p, "tls-mode", "RFC 8314 §3.2");
    EXPECT_NE(check(p, "tls-mode").message.find("clear-text greeting"), std::string::npos);
}

TEST(ProbeReferenceServer, NoStarttlsOnTheSmtpRole) {
    char dir_template[] = "/tmp/mailspec-probe-server-XXXXXX";
    std::string dir = ::mkdtemp(dir_template);
    std::string config = dir + "/server.xml";
    std::ofstream(config) << "<server hostname=\"localhost\">\n  <store path=\"" << dir << "/store\"/>\n"
                          << "  <domain name=\"example.test\"/>\n"
                          << "  <user login=\"alice\" password=\"secret1\" address=\"alice@example.test\"/>\n"
                          << "  <endpoint name=\"smtp\" role=\"smtp\" port=\"0\" starttls=\"false\"/>\n"
                          << "</server>\n";
    {
        auto server = start({"--config", config});
        auto r = probe_layout(*server, {{"smtp", "smtp"}});
        const auto& p = r.at(server->port("smtp"));
        EXPECT_EQ(p.observation.tls_mode, TlsMode::plaintext) << dump(p);
        expect_error(p, "tls-mode", "RFC 3207 §4");
        EXPECT_NE(check(p, "tls-mode").message.find("does not offer it"), std::string::npos);
    }
    std::system(("rm -rf '" + dir + "'").c_str());
}

TEST(ProbeReferenceServer, AuthBeforeTlsOnSubmission) {
    auto server = start({"--ephemeral", "--fault", "smtp.auth-before-tls"});
    auto r = probe_layout(*server, kCorrect);
    const auto& p = r.at(server->port("submission"));
    EXPECT_EQ(p.observation.auth_before_tls, std::optional<bool>(true)) << dump(p);
    expect_error(p, "auth-before-tls", "RFC 4954 §9");
}

TEST(ProbeReferenceServer, Tls10Allowed) {
    auto server = start({"--ephemeral", "--fault", "tls.legacy"});
    auto r = probe_layout(*server, kCorrect);
    for (const char* endpoint : {"submission", "submissions", "pop3s", "imap", "imaps"}) {
        const auto& p = r.at(server->port(endpoint));
        EXPECT_EQ(p.observation.legacy_tls_accepted, std::optional<bool>(true)) << dump(p);
        expect_error(p, "legacy-tls", "RFC 8996");
    }
}

TEST(ProbeReferenceServer, ExpiredCertificate) {
    auto server = start({"--ephemeral", "--fault", "tls.expired-cert"});
    auto r = probe_layout(*server, kCorrect);
    for (const auto& p : r.judgement.ports) {
        ASSERT_TRUE(p.observation.tls) << dump(p);
        expect_error(p, "certificate-expiry", "RFC 8314 §4.4");
        EXPECT_NE(check(p, "certificate-expiry").message.find("expired"), std::string::npos);
    }
}

TEST(ProbeReferenceServer, GreetingDelayedPastTheTimeoutIsInconclusive) {
    auto server = start({"--ephemeral", "--fault", "net.greeting-delay=4000"});
    auto r = probe_layout(*server, kCorrect, 1000ms);
    for (const auto& p : r.judgement.ports) {
        EXPECT_EQ(p.verdict(), "INCONCLUSIVE") << dump(p);
        const auto& mode = check(p, "tls-mode");
        EXPECT_EQ(mode.outcome, Outcome::inconclusive) << dump(p);
        EXPECT_EQ(mode.severity, Severity::error);  // the policy requires the port: exit 1
        EXPECT_EQ(mode.message.find("does not offer"), std::string::npos) << mode.message;
    }
    const auto& smtp = r.at(server->port("smtp"));
    EXPECT_NE(smtp.observation.inconclusive->find("no greeting within 1000 ms"), std::string::npos)
        << dump(smtp);
    EXPECT_EQ(r.judgement.exit_code(), 1);
}

TEST(ProbeReferenceServer, Greeting421IsInconclusive) {
    auto server = start({"--ephemeral", "--fault", "smtp.wrong-code=GREETING:421"});
    auto r = probe_layout(*server, kCorrect);
    for (const char* endpoint : {"smtp", "submission", "submissions"}) {
        const auto& p = r.at(server->port(endpoint));
        EXPECT_EQ(p.verdict(), "INCONCLUSIVE") << dump(p);
        ASSERT_TRUE(p.observation.inconclusive);
        EXPECT_NE(p.observation.inconclusive->find("421"), std::string::npos) << *p.observation.inconclusive;
    }
    EXPECT_EQ(r.at(server->port("imap")).verdict(), "OK");
}

TEST(ProbeReferenceServer, StarttlsReadvertisedAfterTls) {
    auto server = start({"--ephemeral", "--fault", "smtp.starttls-readvertised"});
    auto r = probe_layout(*server, kCorrect);
    const auto& p = r.at(server->port("submission"));
    EXPECT_EQ(p.observation.starttls_readvertised, std::optional<bool>(true)) << dump(p);
    expect_error(p, "starttls-readvertised", "RFC 3207 §4.2");
}

TEST(ProbeReferenceServer, PreauthGreetingWithoutTls) {
    auto server = start({"--ephemeral", "--fault", "imap.preauth-greeting"});
    auto r = probe_layout(*server, {{"imap", "imap"}});
    const auto& p = r.at(server->port("imap"));
    EXPECT_TRUE(p.observation.preauth) << dump(p);
    expect_error(p, "auth-before-tls", "RFC 3501 §7.1.4");
}

TEST(ProbeReferenceServer, PlainTextUserOnPop3) {
    auto server = start({"--ephemeral", "--fault", "pop3.plaintext-user"});
    auto r = probe_layout(*server, {{"pop3", "pop3"}});
    const auto& p = r.at(server->port("pop3"));
    EXPECT_EQ(p.observation.tls_mode, TlsMode::starttls) << dump(p);
    expect_error(p, "auth-before-tls", "RFC 5034 §4");
}

TEST(ProbeReferenceServer, CommandLineWithPolicyFileJunitAndJson) {
    auto server = start({"--ephemeral", "--fault", "tls.expired-cert"});
    char dir_template[] = "/tmp/mailspec-probe-cli-XXXXXX";
    std::string dir = ::mkdtemp(dir_template);
    ProbeCommandOptions o;
    o.host = "127.0.0.1";
    o.policy_file = dir + "/policy.xml";
    std::ofstream(o.policy_file) << policy_xml(*server, kCorrect);
    o.junit_file = dir + "/junit.xml";
    o.json_file = dir + "/probe.json";
    o.timeout_seconds = 3;
    std::ostringstream out, err;
    EXPECT_EQ(run_probe_command(o, out, err), 1) << out.str() << err.str();
    EXPECT_NE(out.str().find("certificate-expiry"), std::string::npos) << out.str();
    std::string xmllint = "xmllint --noout --schema '" MAILSPEC_SOURCE_DIR "/../shared/junit/junit-10.xsd' '" +
                          o.junit_file + "'";
    EXPECT_EQ(std::system(xmllint.c_str()), 0);
    std::string json = "python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); "
                       "assert len(d[\"ports\"])==7 and all(p[\"verdict\"]==\"FAIL\" for p in d[\"ports\"])' '" +
                       o.json_file + "'";
    EXPECT_EQ(std::system(json.c_str()), 0);
    std::system(("rm -rf '" + dir + "'").c_str());
}

}  // namespace
}  // namespace mailspec::harness::probe
