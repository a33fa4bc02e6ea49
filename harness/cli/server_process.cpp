#include "server_process.hpp"

#include <boost/process.hpp>
#include <boost/process/extend.hpp>
#include <boost/regex.hpp>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <thread>

namespace bp = boost::process;

namespace mailspec::harness::cli {

struct ServerProcess::Impl {
    bp::child child;
    bp::pipe out;
    std::string ready_line;
    std::thread drain;  // keeps reading stdout after readiness so the server never blocks on a full pipe
    bool stopped = false;
};

ServerProcess::ServerProcess(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ServerProcess::~ServerProcess() { stop(); }
const std::string& ServerProcess::ready_line() const { return impl_->ready_line; }
int ServerProcess::pid() const { return impl_->child.id(); }

namespace {

void terminate_group(bp::child& child) {
    const pid_t pid = child.id();
    if (pid <= 0) return;
    ::kill(-pid, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
    std::error_code ec;
    while (child.running(ec) && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (child.running(ec)) ::kill(-pid, SIGKILL);
    child.wait(ec);
}

}  // namespace

void ServerProcess::stop() {
    if (!impl_ || impl_->stopped) return;
    impl_->stopped = true;
    terminate_group(impl_->child);
    impl_->out.close();
    if (impl_->drain.joinable()) impl_->drain.join();
}

std::unique_ptr<ServerProcess> ServerProcess::start(const std::vector<std::string>& argv, const std::string& ready_regex,
                                                    std::chrono::milliseconds timeout, std::string& error) {
    if (argv.empty()) {
        error = "no command to start";
        return nullptr;
    }
    // Boost.Regex: no recursion per byte, so a long output line cannot exhaust the stack.
    boost::regex ready;
    try {
        ready.assign(ready_regex, boost::regex::perl);
    } catch (const boost::regex_error& e) {
        error = "bad --ready-line regex '" + ready_regex + "': " + e.what();
        return nullptr;
    }
    auto impl = std::make_unique<Impl>();
    std::error_code ec;
    const pid_t parent = ::getpid();
    try {
        std::vector<std::string> args(argv.begin() + 1, argv.end());
        impl->child = bp::child(
            bp::exe = argv[0], bp::args = args, bp::std_out > impl->out, bp::std_in < bp::null,
            bp::extend::on_exec_setup = [parent](auto&) {
                ::setpgid(0, 0);                      // own group: stop() signals the whole group
                ::prctl(PR_SET_PDEATHSIG, SIGTERM);  // mailspec killed: the server follows
                if (::getppid() != parent) ::_exit(127);
            },
            ec);
    } catch (const std::exception& e) {
        error = "cannot start '" + argv[0] + "': " + e.what();
        return nullptr;
    }
    if (ec) {
        error = "cannot start '" + argv[0] + "': " + ec.message();
        return nullptr;
    }
    // Read stdout line by line with poll() so the wait is bounded by `timeout`.
    const int fd = impl->out.native_source();
    if (impl->out.native_sink() >= 0) {  // the parent keeps only the read end, so EOF is seen
        ::close(impl->out.native_sink());
        impl->out.assign_sink(-1);
    }
    std::string pending, last_lines;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    bool is_ready = false;
    while (!is_ready) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            error = "'" + argv[0] + "' printed no line matching /" + ready_regex + "/ within " +
                    std::to_string(timeout.count() / 1000.0).substr(0, 4) + " s" +
                    (last_lines.empty() ? std::string() : "; its output ended with: " + last_lines);
            terminate_group(impl->child);
            return nullptr;
        }
        pollfd p{fd, POLLIN, 0};
        const int rc = ::poll(&p, 1, static_cast<int>(std::min<long long>(left.count(), 200)));
        if (rc < 0 && errno != EINTR) {
            error = std::string("poll: ") + std::strerror(errno);
            terminate_group(impl->child);
            return nullptr;
        }
        if (rc <= 0) {
            if (!impl->child.running(ec)) {
                error = "'" + argv[0] + "' exited with status " + std::to_string(impl->child.exit_code()) +
                        " before it was ready" + (last_lines.empty() ? std::string() : "; its output: " + last_lines);
                return nullptr;
            }
            continue;
        }
        char buf[4096];
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n <= 0) {
            impl->child.wait(ec);
            error = "'" + argv[0] + "' closed its output (exit status " + std::to_string(impl->child.exit_code()) +
                    ") before it was ready" + (last_lines.empty() ? std::string() : "; its output: " + last_lines);
            return nullptr;
        }
        pending.append(buf, static_cast<std::size_t>(n));
        for (std::size_t lf; !is_ready && (lf = pending.find('\n')) != std::string::npos;) {
            std::string line = pending.substr(0, lf);
            if (!line.empty() && line.back() == '\r') line.pop_back();
            pending.erase(0, lf + 1);
            last_lines = line.substr(0, 300);
            bool matched = false;
            try {
                matched = boost::regex_search(line, ready);
            } catch (const std::runtime_error&) {  // too complex for this line: not the ready line
            }
            if (matched) {
                is_ready = true;
                impl->ready_line = line;
            }
        }
        if (pending.size() > 64 * 1024) pending.erase(0, pending.size() - 1024);
    }
    impl->drain = std::thread([fd] {
        char buf[4096];
        while (::read(fd, buf, sizeof buf) > 0) {
        }
    });
    return std::unique_ptr<ServerProcess>(new ServerProcess(std::move(impl)));
}

std::string locate_reference_server() {
    if (const char* env = std::getenv("MAILSPEC_SERVER"); env && *env) return env;
    std::error_code ec;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (ec) return {};
    const auto candidate = self.parent_path() / "mailspec-server";
    if (std::filesystem::exists(candidate, ec)) return candidate.string();
    return {};
}

}  // namespace mailspec::harness::cli
