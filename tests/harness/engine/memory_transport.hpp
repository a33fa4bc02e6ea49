#pragma once
// An in-memory Connector/Transport for engine unit tests (STYLE.md #11). Each scripted connection
// is a list of server "turns": turn 0 is available right after connect, turn i after the client's
// i-th write. Reads hand out at most `chunk` bytes at a time, so every test can be repeated with
// the server's bytes split at every position. When the scripted bytes run out, reads return eof
// (`close_at_end`) or timeout (a silent server). Nothing sleeps; timeouts are immediate values.
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "mailspec/harness/engine/transport.hpp"

namespace mailspec::harness::engine::testing {

struct PeerScript {
    std::vector<std::string> turns;  // server bytes released at connect (0) and after each write (1..)
    bool close_at_end = false;
    bool tls_fails = false;          // start_tls returns tls_failed
    std::size_t chunk = 1 << 20;     // max bytes per read_some
};

struct PeerRecord {
    std::string written;  // everything the client sent
    int writes = 0;
    int tls_handshakes = 0;
    bool closed = false;
};

class MemoryTransport final : public Transport {
public:
    MemoryTransport(PeerScript script, std::shared_ptr<PeerRecord> record)
        : script_(std::move(script)), record_(std::move(record)) {
        release(0);
    }
    net::IoStatus read_some(std::string& buffer, Millis) override {
        if (pending_.empty()) {
            net::IoStatus st;
            const bool more_turns = released_ + 1 < script_.turns.size();
            st.code = (script_.close_at_end && !more_turns) ? net::IoStatus::Code::eof : net::IoStatus::Code::timeout;
            return st;
        }
        const std::size_t n = std::min(script_.chunk, pending_.size());
        buffer.append(pending_, 0, n);
        pending_.erase(0, n);
        return net::IoStatus::ok();
    }
    net::IoStatus write(std::string_view bytes, Millis) override {
        record_->written.append(bytes);
        ++record_->writes;
        release(static_cast<std::size_t>(record_->writes));
        return net::IoStatus::ok();
    }
    net::IoStatus start_tls(const net::TlsClientOptions&, Millis) override {
        ++record_->tls_handshakes;
        if (script_.tls_fails) return net::IoStatus{net::IoStatus::Code::tls_failed, "handshake failure (scripted)"};
        tls_ = true;
        return net::IoStatus::ok();
    }
    void close() override { record_->closed = true; }
    std::string tls_summary() const override { return tls_ ? "TLSv1.3 (memory)" : "no TLS"; }

private:
    void release(std::size_t turn) {
        if (turn < script_.turns.size()) {
            pending_ += script_.turns[turn];
            released_ = turn;
        }
    }
    PeerScript script_;
    std::shared_ptr<PeerRecord> record_;
    std::string pending_;
    std::size_t released_ = 0;
    bool tls_ = false;
};

class MemoryConnector final : public Connector {
public:
    // Connections to `port` play the scripts in order (one per connect).
    void add(unsigned short port, PeerScript script) { scripts_[port].push_back(std::move(script)); }

    std::unique_ptr<Transport> connect(const std::string&, unsigned short port, Millis, net::IoStatus& status) override {
        std::lock_guard lock(mutex_);
        auto it = scripts_.find(port);
        if (it == scripts_.end() || it->second.empty()) {
            status = net::IoStatus{net::IoStatus::Code::refused, "connection refused (no script)"};
            return nullptr;
        }
        PeerScript script = std::move(it->second.front());
        it->second.erase(it->second.begin());
        auto record = std::make_shared<PeerRecord>();
        records.push_back(record);
        status = net::IoStatus::ok();
        return std::make_unique<MemoryTransport>(std::move(script), record);
    }

    std::vector<std::shared_ptr<PeerRecord>> records;  // one per connection made, in order

private:
    std::mutex mutex_;
    std::map<unsigned short, std::vector<PeerScript>> scripts_;
};

}  // namespace mailspec::harness::engine::testing
