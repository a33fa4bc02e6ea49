#include "interrupt.hpp"

#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <ctime>

namespace mailspec::harness::cli::interrupt {
namespace {

std::atomic<bool> stop_requested{false};
std::atomic<int> first_signal{0};
std::atomic<int> server_group{0};
char temp_file_path[4096];
std::atomic<bool> installed{false};
std::atomic<long long> first_signal_ms{0};  // when the first SIGINT/SIGTERM/SIGHUP came
// Signals this close to the first are the same interruption: `timeout`, a shell or a CI runner
// often deliver one signal to the process and again to its process group.
constexpr long long kSameInterruptionMs = 1000;

long long monotonic_ms() {  // clock_gettime is async-signal-safe
    timespec ts{};
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<long long>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

void emergency_stop(int sig) {
    const int pgid = server_group.load();
    if (pgid > 0) ::kill(-pgid, SIGTERM);
    if (temp_file_path[0]) ::unlink(temp_file_path);
    ::_exit(128 + sig);
}

extern "C" void on_signal(int sig) {
    if (sig != SIGPIPE) {  // SIGPIPE is never an emergency: later writes fail with EPIPE instead
        const long long now = monotonic_ms();
        const long long first = first_signal_ms.load();
        if (first != 0 && now - first >= kSameInterruptionMs) emergency_stop(sig);
        if (first == 0) first_signal_ms.store(now);
    }
    // Report the first signal; a person's Ctrl-C after a closed pipe replaces the SIGPIPE.
    int seen = 0;
    if (!first_signal.compare_exchange_strong(seen, sig) && seen == SIGPIPE && sig != SIGPIPE)
        first_signal.store(sig);
    stop_requested.store(true);
}

}  // namespace

void install() {
    if (installed.exchange(true)) return;
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGPIPE}) ::sigaction(sig, &sa, nullptr);
}

void set_server(int server_pgid, const std::string& temp_file) {
    std::snprintf(temp_file_path, sizeof temp_file_path, "%s", temp_file.c_str());
    server_group.store(server_pgid);
}

void clear_server() {
    server_group.store(0);
    temp_file_path[0] = '\0';
}

const std::atomic<bool>& requested() { return stop_requested; }

int signal_number() { return first_signal.load(); }

std::string describe() {
    switch (first_signal.load()) {
    case SIGINT: return "SIGINT";
    case SIGTERM: return "SIGTERM";
    case SIGHUP: return "SIGHUP";
    case SIGPIPE: return "SIGPIPE (output closed)";
    default: return "";
    }
}

}  // namespace mailspec::harness::cli::interrupt
