#include "mailspec/harness/engine/net_transport.hpp"

#include "mailspec/net/connection.hpp"

namespace mailspec::harness::engine {
namespace {

class NetTransport final : public Transport {
public:
    explicit NetTransport(net::Connection c) : conn_(std::move(c)) {}
    ~NetTransport() override { conn_.close(); }
    net::IoStatus read_some(std::string& buffer, Millis timeout) override { return conn_.read_some(buffer, timeout); }
    net::IoStatus write(std::string_view bytes, Millis timeout) override { return conn_.write(bytes, timeout); }
    net::IoStatus start_tls(const net::TlsClientOptions& options, Millis timeout) override {
        return conn_.start_tls(options, timeout);
    }
    void close() override { conn_.close(); }
    std::string tls_summary() const override {
        if (!conn_.is_tls()) return "no TLS";
        const auto& i = conn_.tls_info();
        std::string s = i.version + " " + i.cipher;
        if (!i.subject.empty()) s += ", certificate " + i.subject;
        return s;
    }

private:
    net::Connection conn_;
};

}  // namespace

std::unique_ptr<Transport> NetConnector::connect(const std::string& host, unsigned short port, Millis timeout,
                                                 net::IoStatus& status) {
    net::Connection c;
    status = c.connect(host, port, timeout);
    if (!status) return nullptr;
    return std::make_unique<NetTransport>(std::move(c));
}

}  // namespace mailspec::harness::engine
