// run_scenarios: a fixed pool of worker threads pulling scenario indexes from a shared counter.
// Scenarios tagged "exclusive" never run at the same time as each other (they share state a server
// may lock, e.g. one POP3 maildrop: RFC 1939 §8 lets the server refuse a second session).
#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

#include "mailspec/harness/engine/runner.hpp"

namespace mailspec::harness::engine {

std::vector<model::ScenarioResult> run_scenarios(const std::vector<const model::Scenario*>& scenarios,
                                                 const model::Target& target, const RunSettings& settings, int jobs,
                                                 const std::function<void(const model::ScenarioResult&)>& on_result) {
    std::vector<model::ScenarioResult> results(scenarios.size());
    std::vector<char> ran(scenarios.size(), 0);
    std::atomic<std::size_t> next{0};
    std::mutex report_mutex;
    std::mutex exclusive_mutex;
    auto cancelled = [&] { return settings.cancel && settings.cancel->load(); };
    auto worker = [&] {
        for (std::size_t i = next.fetch_add(1); i < scenarios.size(); i = next.fetch_add(1)) {
            if (cancelled()) return;  // interrupted: start nothing more
            const auto& tags = scenarios[i]->tags;
            std::unique_lock<std::mutex> exclusive(exclusive_mutex, std::defer_lock);
            if (std::find(tags.begin(), tags.end(), "exclusive") != tags.end()) exclusive.lock();
            model::ScenarioResult r = run_scenario(*scenarios[i], target, settings);
            if (exclusive.owns_lock()) exclusive.unlock();
            std::lock_guard lock(report_mutex);
            if (on_result) on_result(r);
            results[i] = std::move(r);
            ran[i] = 1;
        }
    };
    // The results of the scenarios that ran, in input order (all of them unless cancelled).
    auto finished = [&] {
        std::vector<model::ScenarioResult> out;
        out.reserve(results.size());
        for (std::size_t i = 0; i < results.size(); ++i)
            if (ran[i]) out.push_back(std::move(results[i]));
        return out;
    };
    const int n = std::clamp<int>(jobs, 1, static_cast<int>(std::max<std::size_t>(1, scenarios.size())));
    if (n == 1) {
        worker();
        return finished();
    }
    std::vector<std::thread> threads;
    threads.reserve(static_cast<std::size_t>(n));
    for (int t = 0; t < n; ++t) threads.emplace_back(worker);
    for (auto& t : threads) t.join();
    return finished();
}

}  // namespace mailspec::harness::engine
