// Selection, globs, known-failure rewriting, summaries and exit codes.
#include <gtest/gtest.h>

#include "mailspec/harness/model/known_failures.hpp"
#include "mailspec/harness/model/result.hpp"
#include "mailspec/harness/model/selection.hpp"

namespace mailspec::harness::model {
namespace {

TEST(Glob, StarsAndQuestionMarks) {
    EXPECT_TRUE(glob_match("smtp.*", "smtp.ehlo"));
    EXPECT_TRUE(glob_match("*", ""));
    EXPECT_TRUE(glob_match("s?tp.*.x", "smtp.a.b.x"));
    EXPECT_FALSE(glob_match("smtp.*", "pop3.stat"));
    EXPECT_FALSE(glob_match("a*b", "aXbY"));
    EXPECT_TRUE(glob_match("*a*a*a*", "aaaa"));
}

Scenario sample() {
    Scenario s;
    s.id = "smtp.ehlo.basic";
    s.protocol = Protocol::smtp;
    s.rfc = "5321#4.1.1.1";
    s.level = "MUST";
    s.tags = {"core", "sample"};
    return s;
}

TEST(Selection, EachOptionMustHoldValuesAreAlternatives) {
    const auto s = sample();
    EXPECT_TRUE(Selection{}.selects(s));
    EXPECT_TRUE((Selection{{"x", "core"}, {}, {}, {}, {}}.selects(s)));
    EXPECT_FALSE((Selection{{"x"}, {}, {}, {}, {}}.selects(s)));
    EXPECT_TRUE((Selection{{}, {"pop3", "smtp"}, {}, {}, {}}.selects(s)));
    EXPECT_FALSE((Selection{{}, {"imap"}, {}, {}, {}}.selects(s)));
    EXPECT_TRUE((Selection{{}, {}, {"smtp.*"}, {}, {}}.selects(s)));
    EXPECT_TRUE((Selection{{}, {}, {}, {"5321"}, {}}.selects(s)));
    EXPECT_TRUE((Selection{{}, {}, {}, {"5321#4.1"}, {}}.selects(s)));
    EXPECT_FALSE((Selection{{}, {}, {}, {"532"}, {}}.selects(s)));
    EXPECT_TRUE((Selection{{}, {}, {}, {}, {"must"}}.selects(s)));
    EXPECT_FALSE((Selection{{"core"}, {}, {}, {}, {"MAY"}}.selects(s)));
}

TEST(KnownFailures, FailBecomesXfailPassBecomesXpass) {
    KnownFailures k{"t", {{"smtp.*", "answers 502", "5321#3.5.3", {"k.xml", 3}}}};
    ScenarioResult fail;
    fail.id = "smtp.vrfy";
    fail.outcome = Outcome::fail;
    apply_known_failures(k, fail);
    EXPECT_EQ(fail.outcome, Outcome::xfail);
    EXPECT_EQ(fail.known_reason, "answers 502 (RFC 5321#3.5.3)");
    ScenarioResult pass;
    pass.id = "smtp.vrfy";
    pass.outcome = Outcome::pass;
    apply_known_failures(k, pass);
    EXPECT_EQ(pass.outcome, Outcome::xpass);
    EXPECT_NE(pass.message.find("k.xml:3"), std::string::npos);
    ScenarioResult error;
    error.id = "smtp.vrfy";
    error.outcome = Outcome::error;
    apply_known_failures(k, error);
    EXPECT_EQ(error.outcome, Outcome::error);
    ScenarioResult other;
    other.id = "pop3.stat";
    other.outcome = Outcome::fail;
    apply_known_failures(k, other);
    EXPECT_EQ(other.outcome, Outcome::fail);
}

TEST(ExitCode, FailuresAndErrorsGiveOneXpassOnlyWhenStrict) {
    Summary s;
    EXPECT_EQ(exit_code(s, false), 0);
    s.add(Outcome::pass);
    s.add(Outcome::skip);
    s.add(Outcome::xfail);
    EXPECT_EQ(exit_code(s, false), 0);
    s.add(Outcome::xpass);
    EXPECT_EQ(exit_code(s, false), 0);
    EXPECT_EQ(exit_code(s, true), 1);
    Summary e;
    e.add(Outcome::error);
    EXPECT_EQ(exit_code(e, false), 1);
    Summary f;
    f.add(Outcome::fail);
    EXPECT_EQ(exit_code(f, false), 1);
}

// issue 9 item 4: conformance and policy are counted apart; --policy decides the exit code.
std::vector<ScenarioResult> mixed_results(Outcome policy_outcome, Severity severity) {
    ScenarioResult conformance;
    conformance.id = "smtp.ehlo";
    ScenarioResult policy;
    policy.id = "security.relay";
    policy.judges = Judges::policy;
    policy.severity = severity;
    policy.outcome = policy_outcome;
    return {conformance, policy};
}

TEST(PolicySummary, ConformanceSummaryLeavesPolicyOut) {
    const auto rs = mixed_results(Outcome::fail, Severity::warning);
    const auto c = summarize(rs);
    EXPECT_EQ(c.passed, 1);
    EXPECT_EQ(c.failed, 0);
    const auto p = summarize_policy(rs);
    EXPECT_EQ(p.total(), 1);
    EXPECT_EQ(p.outcomes.failed, 1);
    EXPECT_EQ(p.failed_warning, 1);
    EXPECT_EQ(p.failed_error, 0);
}

TEST(PolicySummary, ExitCodeFollowsThePolicyMode) {
    for (const auto mode : {PolicyMode::report, PolicyMode::off, PolicyMode::fail}) {
        const bool fails = mode == PolicyMode::fail;
        auto rs = mixed_results(Outcome::fail, Severity::error);
        EXPECT_EQ(exit_code(summarize(rs), summarize_policy(rs), mode, false), fails ? 1 : 0) << to_string(mode);
        rs = mixed_results(Outcome::error, Severity::error);  // not decided, at severity error
        EXPECT_EQ(exit_code(summarize(rs), summarize_policy(rs), mode, false), fails ? 1 : 0) << to_string(mode);
        rs = mixed_results(Outcome::fail, Severity::warning);  // below error: reported only
        EXPECT_EQ(exit_code(summarize(rs), summarize_policy(rs), mode, false), 0) << to_string(mode);
        rs = mixed_results(Outcome::pass, Severity::error);
        rs[0].outcome = Outcome::fail;  // a conformance FAIL fails the run in every mode
        EXPECT_EQ(exit_code(summarize(rs), summarize_policy(rs), mode, false), 1) << to_string(mode);
    }
}

TEST(PolicySummary, VocabularyIsTheProbes) {
    EXPECT_EQ(severity_from_string("warning"), Severity::warning);
    EXPECT_FALSE(severity_from_string("low").has_value());
    EXPECT_EQ(judges_from_string("policy"), Judges::policy);
    EXPECT_FALSE(judges_from_string("deployment").has_value());
    EXPECT_EQ(policy_mode_from_string("off"), PolicyMode::off);
    EXPECT_FALSE(policy_mode_from_string("strict").has_value());
}

TEST(PolicySummary, PolicyOffDeselectsPolicyScenarios) {
    Scenario s;
    s.judges = Judges::policy;
    Selection all;
    EXPECT_TRUE(all.selects(s));
    Selection off;
    off.policy = false;
    EXPECT_FALSE(off.empty());
    EXPECT_FALSE(off.selects(s));
    s.judges = Judges::conformance;
    EXPECT_TRUE(off.selects(s));
}

}  // namespace
}  // namespace mailspec::harness::model
