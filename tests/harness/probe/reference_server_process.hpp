#pragma once
// Runs `mailspec-server` as a child process for the probe tests: starts it with the given
// arguments, waits (bounded) for its "mailspec-server ready name=port ..." line, and stops it with
// SIGTERM (then SIGKILL) on destruction. Throws std::runtime_error when it does not start.
#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace mailspec::harness::probe::testing {

class ReferenceServer {
public:
    ReferenceServer(const std::string& executable, const std::vector<std::string>& args,
                    std::chrono::milliseconds ready_timeout = std::chrono::seconds(15));
    ~ReferenceServer();
    ReferenceServer(const ReferenceServer&) = delete;
    ReferenceServer& operator=(const ReferenceServer&) = delete;

    // The bound port of endpoint `name` ("smtp", "submission", ...); throws when unknown.
    unsigned short port(const std::string& name) const;
    const std::map<std::string, unsigned short>& ports() const { return ports_; }

private:
    int pid_ = -1;
    int out_fd_ = -1;
    std::map<std::string, unsigned short> ports_;
};

}  // namespace mailspec::harness::probe::testing
