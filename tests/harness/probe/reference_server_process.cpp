#include "reference_server_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sstream>
#include <stdexcept>
#include <thread>

namespace mailspec::harness::probe::testing {

namespace {

using Clock = std::chrono::steady_clock;

// Waits up to `limit` for the child to exit; true when it did.
bool wait_exit(int pid, std::chrono::milliseconds limit) {
    auto deadline = Clock::now() + limit;
    while (Clock::now() < deadline) {
        int status = 0;
        pid_t r = ::waitpid(pid, &status, WNOHANG);
        if (r == pid || r < 0) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
}

}  // namespace

ReferenceServer::ReferenceServer(const std::string& executable, const std::vector<std::string>& args,
                                 std::chrono::milliseconds ready_timeout) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    std::vector<std::string> argv_text = {executable};
    argv_text.insert(argv_text.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_text) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        ::dup2(fds[1], 1);
        ::execv(executable.c_str(), argv.data());
        ::_exit(127);
    }
    ::close(fds[1]);
    out_fd_ = fds[0];

    std::string text;
    auto deadline = Clock::now() + ready_timeout;
    while (text.find('\n') == std::string::npos) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0) break;
        pollfd p{out_fd_, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left)) <= 0) break;
        char buf[512];
        ssize_t n = ::read(out_fd_, buf, sizeof buf);
        if (n <= 0) break;
        text.append(buf, static_cast<std::size_t>(n));
    }
    std::istringstream line(text.substr(0, text.find('\n')));
    std::string word, ready;
    line >> word >> ready;
    if (word != "mailspec-server" || ready != "ready") {
        ::kill(pid_, SIGKILL);
        wait_exit(pid_, std::chrono::seconds(5));
        pid_ = -1;
        throw std::runtime_error(executable + " did not print its ready line; got \"" + text + "\"");
    }
    while (line >> word) {
        auto eq = word.find('=');
        if (eq == std::string::npos) continue;
        ports_[word.substr(0, eq)] = static_cast<unsigned short>(std::stoi(word.substr(eq + 1)));
    }
}

ReferenceServer::~ReferenceServer() {
    if (pid_ > 0) {
        ::kill(pid_, SIGTERM);
        if (!wait_exit(pid_, std::chrono::seconds(10))) {
            ::kill(pid_, SIGKILL);
            wait_exit(pid_, std::chrono::seconds(5));
        }
    }
    if (out_fd_ >= 0) ::close(out_fd_);
}

unsigned short ReferenceServer::port(const std::string& name) const {
    auto it = ports_.find(name);
    if (it == ports_.end()) throw std::runtime_error("the reference server has no endpoint " + name);
    return it->second;
}

}  // namespace mailspec::harness::probe::testing
