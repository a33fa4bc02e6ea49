// `mailspec probe` end to end (run_probe_command): options, policy file, exit codes, reports. The
// JUnit file is checked against shared/junit/junit-10.xsd with xmllint, the JSON with python3.
#include "probe_command.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include <gtest/gtest.h>

#include "mailspec/test/scripted_server.hpp"

namespace mailspec::harness::probe {
namespace {

using mailspec::test::ScriptedServer;
using mailspec::test::ScriptedServerOptions;
using mailspec::test::Step;
using namespace std::chrono_literals;

// A temporary directory removed at the end of the test.
struct TempDir {
    std::string path;
    TempDir() {
        char tmpl[] = "/tmp/mailspec-probe-XXXXXX";
        path = mkdtemp(tmpl);
    }
    ~TempDir() { std::system(("rm -rf '" + path + "'").c_str()); }
    std::string file(const std::string& name, const std::string& content = {}) const {
        std::string p = path + "/" + name;
        if (!content.empty()) std::ofstream(p) << content;
        return p;
    }
};

ScriptedServerOptions serve(int connections, bool implicit_tls = false) {
    ScriptedServerOptions o;
    o.connections = connections;
    o.implicit_tls = implicit_tls;
    o.step_timeout = 3000ms;
    o.accept_timeout = 5000ms;
    o.hang_limit = 5000ms;
    return o;
}

int run(const ProbeCommandOptions& options, std::string& out, std::string& err) {
    std::ostringstream o, e;
    int code = run_probe_command(options, o, e);
    out = o.str();
    err = e.str();
    return code;
}

TEST(ProbeCommand, UsageAndPolicyErrorsExitTwo) {
    TempDir dir;
    std::string out, err;
    ProbeCommandOptions o;
    o.host = "127.0.0.1";
    o.ports = "25,x";
    EXPECT_EQ(run(o, out, err), 2);
    EXPECT_NE(err.find("--ports \"25,x\": expected a port number at offset 3"), std::string::npos) << err;

    o.ports = "";
    o.policy_file = dir.file("bad.xml", "<probe-policy>\n<port number='25' role='smtps'/>\n</probe-policy>\n");
    EXPECT_EQ(run(o, out, err), 2);
    EXPECT_NE(err.find("bad.xml:2: <port> attribute role"), std::string::npos) << err;

    o.policy_file = dir.path + "/missing.xml";
    EXPECT_EQ(run(o, out, err), 2);
    EXPECT_NE(err.find("missing.xml: cannot open"), std::string::npos) << err;

    o.policy_file = "";
    o.timeout_seconds = 0;
    EXPECT_EQ(run(o, out, err), 2);
    EXPECT_NE(err.find("--timeout"), std::string::npos) << err;
}

TEST(ProbeCommand, CliSubcommandParsesOptionsAndReportsExitCodes) {
    unsigned short closed;
    {
        ScriptedServer gone({Step::close()}, serve(1));
        closed = gone.port();
        gone.stop();
    }
    auto parse = [](std::vector<std::string> argv) {
        CLI::App app("mailspec");
        register_probe_command(app);
        std::reverse(argv.begin(), argv.end());  // CLI11 takes a vector in reverse order
        app.parse(argv);
    };
    // A closed port under the default roles is not a finding: exit 0, no exception.
    EXPECT_NO_THROW(parse({"probe", "127.0.0.1", "--ports", std::to_string(closed), "--timeout", "1", "--insecure"}));
    EXPECT_THROW(parse({"probe", "127.0.0.1", "--timeout", "soon"}), CLI::ConversionError);
    EXPECT_THROW(parse({"probe"}), CLI::RequiredError);
    try {
        parse({"probe", "127.0.0.1", "--policy", "/nonexistent/policy.xml"});
        ADD_FAILURE() << "a missing policy file must end the command";
    } catch (const CLI::RuntimeError& e) {
        EXPECT_EQ(e.get_exit_code(), 2);
    }
}

TEST(ProbeCommand, PolicyFileReportsAndExitCode) {
    // Port A: a correct IMAP implicit-TLS server. Port B: the same server where the policy expects
    // STARTTLS (submission-like mistake, inverted). Port C: closed but required.
    mailspec::test::Script imap = {
        Step::send("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\r\n"), Step::expect_line(),
        Step::send("* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\np1 OK done\r\n"), Step::expect_line(),
        Step::send("* BYE\r\np2 OK bye\r\n"), Step::close(),
    };
    ScriptedServer good(imap, serve(2, true));
    ScriptedServer wrong(imap, serve(2, true));
    unsigned short closed;
    {
        ScriptedServer gone({Step::close()}, serve(1));
        closed = gone.port();
        gone.stop();
    }
    TempDir dir;
    std::string policy = "<?xml version='1.0'?>\n<probe-policy name='scripted layout'>\n"
                         "  <certificate chain='ignore' name='localhost'/>\n"
                         "  <port number='" + std::to_string(good.port()) + "' role='imaps'/>\n"
                         "  <port number='" + std::to_string(wrong.port()) + "' role='imap'/>\n"
                         "  <port number='" + std::to_string(closed) + "' role='pop3s'/>\n"
                         "</probe-policy>\n";
    ProbeCommandOptions o;
    o.host = "127.0.0.1";
    o.policy_file = dir.file("policy.xml", policy);
    o.junit_file = dir.file("junit.xml");
    o.json_file = dir.file("probe.json");
    o.timeout_seconds = 2;
    std::string out, err;
    EXPECT_EQ(run(o, out, err), 1) << out << err;
    EXPECT_TRUE(err.empty()) << err;
    EXPECT_NE(out.find("policy: scripted layout"), std::string::npos) << out;
    EXPECT_NE(out.find(std::to_string(wrong.port()) + "  imap"), std::string::npos) << out;
    EXPECT_NE(out.find("found implicit TLS"), std::string::npos) << out;
    EXPECT_NE(out.find("expected POP3 on the pop3s role"), std::string::npos) << out;

    std::string xsd = MAILSPEC_SOURCE_DIR "/../shared/junit/junit-10.xsd";
    std::string xmllint = "xmllint --noout --schema '" + xsd + "' '" + o.junit_file + "' 2>&1";
    EXPECT_EQ(std::system(xmllint.c_str()), 0) << xmllint;
    std::string json = "python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); "
                       "assert d[\"exit_code\"]==1 and len(d[\"ports\"])==3' '" + o.json_file + "'";
    EXPECT_EQ(std::system(json.c_str()), 0) << json;

    std::ifstream junit(o.junit_file);
    std::stringstream text;
    text << junit.rdbuf();
    EXPECT_NE(text.str().find("classname=\"probe.127_0_0_1.port" + std::to_string(wrong.port()) + "\""),
              std::string::npos);

    // Only the correct port: exit 0.
    o.ports = std::to_string(good.port());
    ScriptedServer good_again(imap, serve(2, true));
    o.ports = std::to_string(good_again.port());
    std::string policy_ok = "<probe-policy><certificate chain='ignore' name='localhost'/><port number='" +
                            std::to_string(good_again.port()) + "' role='imaps'/></probe-policy>";
    o.policy_file = dir.file("ok.xml", policy_ok);
    EXPECT_EQ(run(o, out, err), 0) << out << err;
}

// A host that does not resolve is an error with the reason, before any port is probed
// (".invalid" never resolves, RFC 2606 §2; the lookup needs no network to say so).
TEST(ProbeCommand, UnresolvableHostExitsTwo) {
    ProbeCommandOptions o;
    o.host = "no-such-host.invalid";
    o.ports = "25";
    o.timeout_seconds = 5;
    std::string out, err;
    EXPECT_EQ(run(o, out, err), 2);
    EXPECT_NE(err.find("cannot resolve no-such-host.invalid"), std::string::npos) << err;
    EXPECT_EQ(out.find("no answer"), std::string::npos) << out;
}

TEST(ProbeCommand, UnwritableReportExitsTwo) {
    ProbeCommandOptions o;
    o.host = "127.0.0.1";
    unsigned short closed;
    {
        ScriptedServer gone({Step::close()}, serve(1));
        closed = gone.port();
        gone.stop();
    }
    o.ports = std::to_string(closed);
    o.junit_file = "/nonexistent-dir/junit.xml";
    std::string out, err;
    EXPECT_EQ(run(o, out, err), 2);
    EXPECT_NE(err.find("cannot write report '/nonexistent-dir/junit.xml'"), std::string::npos) << err;
}

}  // namespace
}  // namespace mailspec::harness::probe
