#pragma once
// An in-memory Host for driving protocol sessions in unit tests without sockets (STYLE.md §11).
// It records what the session sends, whether it asked for TLS or to close, and its idle timeout;
// the test plays the client by calling the session's callbacks through SessionDriver.
//
// Contract mirrored from transport/session.hpp: bytes given to send() are "written" at once and in
// order; start_tls() is pending until the test calls SessionDriver::complete_tls(), which marks
// the host as TLS and calls Session::on_tls_ready(); after close() the driver delivers nothing but
// on_closed(). Shared by the SMTP, POP3 and IMAP session tests.
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "transport/session.hpp"

namespace mailspec::server::testing {

class MemoryHost final : public Host {
public:
    // ---- what the session did ----
    std::string output;                // every byte sent, in order
    std::vector<std::string> writes;   // one entry per send() call
    bool closed = false;               // close() was called
    std::size_t sends_after_close = 0; // send() calls after close() (a session bug)
    int start_tls_calls = 0;
    bool tls_pending = false;          // start_tls() called, handshake not yet completed
    std::chrono::milliseconds idle_timeout{0};
    std::vector<std::function<void()>> posted;

    // ---- what the test configures ----
    bool tls = false;                  // set before on_open() for implicit TLS endpoints
    std::string peer = "127.0.0.1";

    void send(std::string bytes) override {
        if (closed) ++sends_after_close;
        output += bytes;
        writes.push_back(std::move(bytes));
    }
    void start_tls() override {
        ++start_tls_calls;
        tls_pending = true;
    }
    void close() override { closed = true; }
    bool is_tls() const override { return tls; }
    std::string peer_address() const override { return peer; }
    // Thread-safe, as the real Host's is: store callbacks post from whichever thread made a change.
    void post(std::function<void()> fn) override {
        std::lock_guard lock(posted_mutex);
        posted.push_back(std::move(fn));
    }
    void set_idle_timeout(std::chrono::milliseconds timeout) override { idle_timeout = timeout; }

    // Returns and clears what was sent since the last call.
    std::string take_output() {
        std::string out;
        out.swap(output);
        return out;
    }
    // Runs (and clears) every function posted so far, in order.
    void run_posted() {
        std::vector<std::function<void()>> fns;
        {
            std::lock_guard lock(posted_mutex);
            fns.swap(posted);
        }
        for (auto& fn : fns) fn();
    }
    std::mutex posted_mutex;  // guards `posted`
};

// Owns a MemoryHost and the session made for it; plays the client.
class SessionDriver {
public:
    using Factory = std::function<std::unique_ptr<Session>(Host&)>;

    explicit SessionDriver(const Factory& make, bool implicit_tls = false) {
        host.tls = implicit_tls;
        session = make(host);
    }
    ~SessionDriver() {
        if (session && !closed_notified_) session->on_closed();
    }

    // on_open(); returns the greeting.
    std::string open() {
        session->on_open();
        return host.take_output();
    }
    // Delivers `bytes` in chunks of `chunk` octets (0: all at once) unless the host is closed or
    // waiting for a TLS handshake; returns everything sent meanwhile.
    std::string send(std::string_view bytes, std::size_t chunk = 0) {
        if (chunk == 0) chunk = bytes.size() ? bytes.size() : 1;
        for (std::size_t i = 0; i < bytes.size() && !host.closed && !host.tls_pending; i += chunk)
            session->on_data(bytes.substr(i, chunk));
        return host.take_output();
    }
    // Completes a pending STARTTLS/STLS handshake; returns what the session sent then.
    std::string complete_tls() {
        host.tls_pending = false;
        host.tls = true;
        session->on_tls_ready();
        return host.take_output();
    }
    std::string idle_timeout() {
        session->on_idle_timeout();
        return host.take_output();
    }
    // The client vanishes (or the server's close completes).
    void drop() {
        if (!closed_notified_) session->on_closed();
        closed_notified_ = true;
    }

    MemoryHost host;
    std::unique_ptr<Session> session;

private:
    bool closed_notified_ = false;
};

}  // namespace mailspec::server::testing
