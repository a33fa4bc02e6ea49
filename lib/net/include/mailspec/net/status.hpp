#pragma once
// Outcome of a network operation as a value: the harness turns each code into PASS/FAIL/ERROR.
#include <string>

namespace mailspec::net {

struct IoStatus {
    enum class Code {
        ok,
        eof,          // the peer closed the connection cleanly
        timeout,      // the deadline passed before the operation completed
        refused,      // TCP connection refused
        unreachable,  // host could not be resolved or reached
        tls_failed,   // TLS handshake or certificate verification failed
        error,        // any other I/O error (reset, broken pipe, ...)
    };
    Code code = Code::ok;
    std::string message;  // human-readable cause, includes host:port and the system/OpenSSL message

    explicit operator bool() const { return code == Code::ok; }
    static IoStatus ok() { return {}; }
};

const char* to_string(IoStatus::Code code);

}  // namespace mailspec::net
