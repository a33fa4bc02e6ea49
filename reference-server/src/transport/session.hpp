#pragma once
// The seam between a connection driver (Asio + OpenSSL, in transport/) and a protocol session
// (SMTP, POP3, IMAP state machines). Sessions do no I/O: they receive bytes and events and ask their
// Host to write, upgrade to TLS or close. Unit tests drive sessions through an in-memory Host.
//
// Threading contract: every Session callback and every Host call happens on the connection's
// strand; a Session never blocks except for store I/O (e.g. fsync before "250 OK", RFC 5321 §6.1).
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace mailspec::server {

class Host {
public:
    virtual ~Host() = default;
    // Queues bytes for writing, in call order.
    virtual void send(std::string bytes) = 0;
    // After every queued byte is written, performs the server TLS handshake and then calls
    // Session::on_tls_ready(), or closes the connection if the handshake fails. Bytes received
    // while the upgrade is pending are delivered after on_tls_ready() through the TLS layer only.
    virtual void start_tls() = 0;
    // Closes the connection after every queued byte is written. No callback follows except on_closed.
    virtual void close() = 0;
    virtual bool is_tls() const = 0;
    virtual std::string peer_address() const = 0;   // "127.0.0.1"
    // Runs fn later on this connection's strand (used by store change notifications, IDLE).
    // fn is dropped if the connection is already gone.
    virtual void post(std::function<void()> fn) = 0;
    // Replaces the idle timeout (RFC 5321 §4.5.3.2 timeouts differ per state).
    virtual void set_idle_timeout(std::chrono::milliseconds timeout) = 0;
};

class Session {
public:
    virtual ~Session() = default;
    // The connection is up (after the implicit-TLS handshake, if any): send the greeting.
    virtual void on_open() = 0;
    // Bytes received from the client, in order, possibly split anywhere.
    virtual void on_data(std::string_view bytes) = 0;
    // A Host::start_tls() handshake completed.
    virtual void on_tls_ready() = 0;
    // No byte arrived within the idle timeout; the session usually sends a 421 / BYE and closes.
    virtual void on_idle_timeout() = 0;
    // The connection is gone (client closed, reset, or after Host::close()). Release locks here;
    // a POP3 session that never reached QUIT must apply no deletions (RFC 1939 §6).
    virtual void on_closed() = 0;
};

}  // namespace mailspec::server
