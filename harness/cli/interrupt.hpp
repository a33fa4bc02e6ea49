#pragma once
// How `mailspec run` reacts to signals (the only place that installs handlers).
//
// The first SIGINT, SIGTERM or SIGHUP, and any SIGPIPE (the console's reader went away: EPIPE),
// ask the run to stop: `requested()` becomes true, no scenario starts after it, running ones stop
// at their next step, and the run then writes its reports with what has run, marked interrupted
// (exit code 128 + the signal). A second SIGINT, SIGTERM or SIGHUP at least a second after the
// first (earlier ones are the same signal delivered twice, as `timeout` and CI runners do to a
// process and its group) is an emergency stop: it
// terminates the server process group given to set_server() (if any), removes the temporary
// file given there, and exits at once with 128 + signal. Handlers make async-signal-safe calls only.
#include <atomic>
#include <string>

namespace mailspec::harness::cli::interrupt {

// Installs the handlers (idempotent).
void install();
// The process group to terminate and the file to remove on an emergency stop (0 / "": none).
void set_server(int server_pgid, const std::string& temp_file);
void clear_server();

// The flag the run polls (engine RunSettings::cancel), set by the first signal.
const std::atomic<bool>& requested();
// The first signal that asked the run to stop, or 0.
int signal_number();
// "SIGINT", "SIGTERM", "SIGHUP", "SIGPIPE (output closed)", or "" when none.
std::string describe();

}  // namespace mailspec::harness::cli::interrupt
