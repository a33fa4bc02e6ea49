#pragma once
// Loads one scenario from text and runs it against the in-memory peer (memory_transport.hpp) with a
// small target: smtp 25, pop3 110, imap 143 (plain), one user. For the engine tests that need
// nothing else.
#include <gtest/gtest.h>

#include "mailspec/harness/engine/runner.hpp"
#include "mailspec/harness/loader/scenario_loader.hpp"
#include "memory_transport.hpp"

namespace mailspec::harness::engine::testing {

inline model::Target memory_target() {
    model::Target t;
    t.name = "memory";
    t.host = "127.0.0.1";
    t.endpoints = {{"smtp", model::Protocol::smtp, 25, model::TlsMode::plain, {}},
                   {"pop3", model::Protocol::pop3, 110, model::TlsMode::plain, {}},
                   {"imap", model::Protocol::imap, 143, model::TlsMode::plain, {}}};
    t.users = {{"user", "alice", "secret1", "alice@example.test"}};
    return t;
}

inline model::ScenarioResult run_text(const std::string& xml, MemoryConnector& connector) {
    loader::Diagnostics errors;
    auto scenarios = loader::load_scenario_text(xml, "memory.xml", errors);
    EXPECT_TRUE(errors.empty()) << (errors.empty() ? "" : errors.front().str());
    if (scenarios.size() != 1) {
        ADD_FAILURE() << "expected one scenario, loaded " << scenarios.size();
        return {};
    }
    const auto target = memory_target();
    RunSettings settings;
    settings.connector = &connector;
    return run_scenario(scenarios.front(), target, settings);
}

}  // namespace mailspec::harness::engine::testing
