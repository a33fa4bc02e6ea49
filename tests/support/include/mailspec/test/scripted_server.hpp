#pragma once
// A scripted loopback server for integration tests. It listens on 127.0.0.1 on a free port, serves
// one connection (or `connections` connections, each on its own thread, concurrently) by playing a
// fixed list of steps, and records everything it received so tests can assert on it afterwards.
// Every wait is bounded: each step by step_timeout, a hang by hang_limit, and stop() (called by the
// destructor) interrupts any step within about 50 ms.
//
//   ScriptedServer server({Step::send("220 hi\r\n"), Step::expect_line(), Step::send("221 bye\r\n")});
//   ... connect to 127.0.0.1:server.port() ...
//   server.wait_done(5s);  EXPECT_EQ(server.record().lines[0], "QUIT");
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mailspec/net/tls.hpp"

namespace mailspec::test {

using Millis = std::chrono::milliseconds;

struct Step {
    enum class Kind {
        send,         // write `bytes`
        send_slowly,  // write `bytes` one byte at a time, sleeping `delay` after each
        expect_line,  // read up to and including CRLF; the line (without CRLF) is recorded
        read_bytes,   // read exactly `count` bytes
        wait,         // sleep `delay`
        start_tls,    // server-side TLS handshake on the open connection
        close,        // close the connection (TLS close_notify first when active); ends the script
        hang,         // keep the connection open, silent, until stop() or hang_limit
        reset,        // abort the connection with a TCP RST (SO_LINGER 0); ends the script
    };
    Kind kind = Kind::send;
    std::string bytes;
    Millis delay{0};
    std::size_t count = 0;

    static Step send(std::string bytes);
    static Step send_slowly(std::string bytes, Millis per_byte);
    static Step expect_line();
    static Step read_bytes(std::size_t count);
    static Step wait(Millis delay);
    static Step start_tls();
    static Step close();
    static Step hang();
    static Step reset();
};
using Script = std::vector<Step>;

struct ScriptedServerOptions {
    std::string address = "127.0.0.1";                // loopback only: "127.0.0.1" or "::1"
    bool implicit_tls = false;                        // TLS handshake right after accept
    std::optional<net::CertificatePair> certificate;  // empty: test_certificate()
    int tls_min_version = 0x0303;                     // see make_server_tls_context
    int tls_max_version = 0;
    int connections = 1;        // how many connections to accept, each served with the same script
    Millis step_timeout{5000};  // limit of each read step, handshake and write
    Millis accept_timeout{10000};
    Millis hang_limit{30000};
};

// What one served connection showed. Snapshots are taken under a lock; safe to read any time.
struct ConnectionRecord {
    bool accepted = false;
    bool completed = false;            // every step ran (close or end of script)
    std::string received;              // every byte received, decrypted when TLS was active
    std::vector<std::string> lines;    // lines read by expect_line steps, without CRLF
    std::vector<std::string> errors;   // step failures: timeouts, peer closed, TLS errors
    std::string tls_version;           // after a handshake: "TLSv1.3"
    std::string sni;                   // server name the client sent (RFC 6066 §3), "" when none
    bool peer_closed = false;          // the client closed while a read step was waiting
};

class ScriptedServer {
public:
    // Listens at once (port() is valid on return). Throws std::runtime_error when options.address
    // is not a loopback address, or when listening fails (e.g. "::1" without IPv6).
    explicit ScriptedServer(Script script, ScriptedServerOptions options = {});
    ~ScriptedServer();
    ScriptedServer(const ScriptedServer&) = delete;
    ScriptedServer& operator=(const ScriptedServer&) = delete;

    unsigned short port() const;
    const net::CertificatePair& certificate() const;

    // Waits until every expected connection finished its script (or failed). False on timeout.
    bool wait_done(Millis timeout) const;
    // Interrupts every step, closes every socket and joins the threads. Idempotent.
    void stop();

    ConnectionRecord record(std::size_t connection = 0) const;
    std::vector<ConnectionRecord> records() const;

private:
    struct State;
    std::shared_ptr<State> state_;
};

// One RSA certificate for "localhost", 127.0.0.1 and ::1, made once per test process.
const net::CertificatePair& test_certificate();

// Writes a certificate's PEM to a fresh temporary file (for --ca / TlsClientOptions::ca_file) and
// removes it on destruction. Throws std::runtime_error when the file cannot be written.
class TempPemFile {
public:
    explicit TempPemFile(const net::CertificatePair& pair);
    explicit TempPemFile(const std::string& pem_text);
    ~TempPemFile();
    TempPemFile(const TempPemFile&) = delete;
    TempPemFile& operator=(const TempPemFile&) = delete;
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

// Same as TempPemFile, for callers that manage the file themselves: returns the path.
std::string write_temp_pem(const net::CertificatePair& pair);

}  // namespace mailspec::test
