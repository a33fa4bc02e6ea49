// mailspec-server: the reference SMTP / POP3 / IMAP server of mailspec.
//
//   mailspec-server --config FILE [--fault NAME[=ARG]]... [--write-target FILE]
//   mailspec-server --ephemeral   [--fault NAME[=ARG]]... [--write-target FILE]
//
// Once every endpoint listens (and the target profile is written), prints exactly one line to
// stdout: "mailspec-server ready smtp=P submission=P ..." (endpoint name = bound port). SIGINT or
// SIGTERM stop it cleanly; an --ephemeral store is removed at exit.
// Exit codes: 0 after a clean stop, 2 for usage, configuration or fault errors, 1 for start-up
// failures (bind, store, certificate).
#include <cerrno>
#include <csignal>
#include <cstring>
#include <cstdlib>
#include <iostream>
#include <pthread.h>
#include <sys/resource.h>
#include <unistd.h>

#include <CLI/CLI.hpp>

#include "config/server_config.hpp"
#include "faults.hpp"
#include "store/store.hpp"
#include "target_profile.hpp"
#include "transport/server.hpp"

namespace {

using namespace mailspec::server;
namespace fs = std::filesystem;

// Removes the --ephemeral store directory on every way out of main.
struct TempDirectory {
    fs::path path;
    ~TempDirectory() {
        if (path.empty()) return;
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

// The --ephemeral store lives in $TMPDIR when it is set, else in /dev/shm when that is a writable
// tmpfs, else in the system temporary directory. On a busy disk each mkdir can take milliseconds,
// and the store makes about thirty at start-up; in memory the server is ready in ~20 ms. Nothing
// there outlives the process anyway (fsync still runs; on tmpfs it costs nothing).
fs::path temp_parent() {
    const char* tmpdir = std::getenv("TMPDIR");
    if (tmpdir && *tmpdir) return tmpdir;
    std::error_code ec;
    if (fs::is_directory("/dev/shm", ec) && ::access("/dev/shm", W_OK) == 0) return "/dev/shm";
    return fs::temp_directory_path();
}

fs::path make_temp_directory() {
    std::string pattern = (temp_parent() / "mailspec-server-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
        throw std::runtime_error("cannot create a temporary store directory: " +
                                 std::string(std::strerror(errno)));
    }
    return pattern;
}

void print_faults() {
    for (const auto& fault : known_faults()) {
        std::string name(fault.name);
        if (!fault.arg.empty()) name += "=" + std::string(fault.arg);
        std::cout << name << "\n    " << fault.description << " (violates " << fault.violates
                  << ")\n";
    }
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"mailspec-server: reference SMTP, POP3 and IMAP server with deliberate faults"};
    std::string config_file;
    bool ephemeral = false;
    std::vector<std::string> fault_specs;
    std::string target_file;
    unsigned threads = 0;
    bool list_faults = false;
    auto* config_option = app.add_option("--config", config_file, "XML configuration file")
                              ->check(CLI::ExistingFile);
    app.add_flag("--ephemeral", ephemeral,
                 "127.0.0.1 port 0 for all seven endpoints, temporary store, users alice and bob")
        ->excludes(config_option);
    app.add_option("--fault", fault_specs, "enable a fault NAME[=ARG] (repeatable)");
    app.add_option("--write-target", target_file,
                   "write a target profile for `mailspec run --target` before the ready line");
    app.add_option("--threads", threads, "worker threads (default: 4 per core, at least 16)");
    app.add_flag("--list-faults", list_faults, "print every known fault and exit");
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int code = app.exit(e);
        return code == 0 ? 0 : 2;
    }
    if (list_faults) {
        print_faults();
        return 0;
    }
    if (!ephemeral && config_file.empty()) {
        std::cerr << "mailspec-server: give --config FILE or --ephemeral (see --help)\n";
        return 2;
    }

    TempDirectory temp;
    ServerConfig config;
    Faults faults;
    try {
        if (ephemeral) {
            temp.path = make_temp_directory();
            config = ephemeral_config(temp.path);
        } else {
            config = load_server_config(config_file);
        }
        for (const auto& fault : config.faults) {
            faults.enable(fault.name, fault.has_arg ? std::optional<std::string>(fault.arg) : std::nullopt,
                          fault.where);
        }
        for (const auto& spec : fault_specs) faults.enable(spec, "--fault");
    } catch (const std::exception& e) {
        std::cerr << "mailspec-server: " << e.what() << "\n";
        return 2;
    }

    // Signals are taken synchronously by the main thread; the worker threads inherit the mask.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    std::signal(SIGPIPE, SIG_IGN);
    // One descriptor per connection: allow as many as the hard limit does (max-connections).
    rlimit files{};
    if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
        files.rlim_cur = files.rlim_max;
        setrlimit(RLIMIT_NOFILE, &files);
    }

    try {
        Store store(config.store_path, config.users);
        auto certificate = load_or_make_certificate(config, faults);
        Server server(config, store, faults, protocol_session_factory(), certificate);
        server.start(threads);
        if (!faults.empty()) {
            std::cerr << "mailspec-server: faults enabled:";
            for (const auto& fault : faults.describe()) std::cerr << " " << fault;
            std::cerr << "\n";
        }
        if (!target_file.empty()) {
            write_target_profile(target_file, target_profile_xml(config, server.endpoints()));
        }
        std::string ready = "mailspec-server ready";
        for (const auto& endpoint : server.endpoints()) {
            ready += " " + endpoint.name + "=" + std::to_string(endpoint.port);
        }
        std::cout << ready << std::endl;  // one line, flushed

        int received = 0;
        sigwait(&signals, &received);
        server.stop();
    } catch (const std::exception& e) {
        std::cerr << "mailspec-server: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
