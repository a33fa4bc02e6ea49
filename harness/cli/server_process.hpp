#pragma once
// A server under test started by `mailspec run` (Boost.Process): the embedded default
// `mailspec-server --ephemeral --write-target FILE` (issue 3) or any `--spawn "CMD"`.
// The child runs in its own process group and gets SIGTERM when mailspec dies (PR_SET_PDEATHSIG);
// stop() and the destructor terminate the whole group (SIGTERM, then SIGKILL after 3 s), so no
// orphan is left on failure, Ctrl-C or SIGTERM (see interrupt.hpp).
#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace mailspec::harness::cli {

class ServerProcess {
public:
    // Starts argv[0] with the arguments and waits until a line of its stdout matches `ready_regex`
    // (Perl syntax, Boost.Regex), at most `timeout`. On failure returns nullptr and explains in `error` (the
    // process exited, with its last output, or the wait timed out).
    static std::unique_ptr<ServerProcess> start(const std::vector<std::string>& argv, const std::string& ready_regex,
                                                std::chrono::milliseconds timeout, std::string& error);
    ~ServerProcess();
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    void stop();
    const std::string& ready_line() const;
    int pid() const;

private:
    struct Impl;
    explicit ServerProcess(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};


// The mailspec-server executable: $MAILSPEC_SERVER, else "mailspec-server" beside this executable
// (/proc/self/exe). Empty when neither exists.
std::string locate_reference_server();

}  // namespace mailspec::harness::cli
