#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <unistd.h>

#include "mailspec/net/tls.hpp"
#include "mailspec/test/scripted_server.hpp"

namespace mailspec::test {

const net::CertificatePair& test_certificate() {
    static const net::CertificatePair pair = net::make_self_signed_certificate({});
    return pair;
}

namespace {

std::string write_pem(const std::string& text) {
    const char* dir = std::getenv("TMPDIR");
    std::string pattern = std::string(dir != nullptr && *dir != '\0' ? dir : "/tmp") +
                          "/mailspec-ca-XXXXXX.pem";
    const int fd = mkstemps(pattern.data(), 4);
    if (fd < 0) throw std::runtime_error("cannot create a temporary PEM file from " + pattern);
    ::close(fd);
    std::ofstream out(pattern, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) {
        std::remove(pattern.c_str());
        throw std::runtime_error("cannot write the temporary PEM file " + pattern);
    }
    return pattern;
}

}  // namespace

std::string write_temp_pem(const net::CertificatePair& pair) { return write_pem(pair.certificate_pem); }

TempPemFile::TempPemFile(const net::CertificatePair& pair) : path_(write_pem(pair.certificate_pem)) {}
TempPemFile::TempPemFile(const std::string& pem_text) : path_(write_pem(pem_text)) {}
TempPemFile::~TempPemFile() { std::remove(path_.c_str()); }

}  // namespace mailspec::test
