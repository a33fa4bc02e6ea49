// Durable file helpers: write + fsync + rename + directory fsync (the Maildir delivery protocol).
#include "store/maildir_files.hpp"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mailspec::server::store_detail {

namespace {

std::string sys_error(const std::string& what, const fs::path& path) {
    return what + " " + path.string() + ": " + std::strerror(errno);
}

std::string write_all(int fd, std::string_view bytes, const fs::path& path) {
    while (!bytes.empty()) {
        ssize_t n = ::write(fd, bytes.data(), bytes.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            return sys_error("cannot write", path);
        }
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return {};
}

std::string host_name() {
    char buffer[256] = {};
    if (::gethostname(buffer, sizeof buffer - 1) != 0) return "localhost";
    std::string out;
    for (char* p = buffer; *p; ++p) {
        // '/' and ':' are not allowed in Maildir names (':' separates the info part).
        if (*p == '/') {
            out += "\\057";
        } else if (*p == ':') {
            out += "\\072";
        } else {
            out += *p;
        }
    }
    return out.empty() ? "localhost" : out;
}

}  // namespace

std::string write_new_file_synced(const fs::path& path, std::string_view bytes) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return sys_error("cannot create", path);
    std::string error = write_all(fd, bytes, path);
    if (error.empty() && ::fsync(fd) != 0) error = sys_error("cannot fsync", path);
    if (::close(fd) != 0 && error.empty()) error = sys_error("cannot close", path);
    if (!error.empty()) ::unlink(path.c_str());
    return error;
}

std::string write_new_file(const fs::path& path, std::string_view bytes) {
    ::unlink(path.c_str());
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return sys_error("cannot create", path);
    std::string error = write_all(fd, bytes, path);
    if (::close(fd) != 0 && error.empty()) error = sys_error("cannot close", path);
    if (!error.empty()) ::unlink(path.c_str());
    return error;
}

std::string sync_directory(const fs::path& dir) {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return sys_error("cannot open directory", dir);
    std::string error;
    if (::fsync(fd) != 0) error = sys_error("cannot fsync directory", dir);
    ::close(fd);
    return error;
}

std::string replace_file_atomically(const fs::path& path, std::string_view bytes) {
    fs::path tmp = path;
    tmp += ".tmp";
    ::unlink(tmp.c_str());
    if (auto error = write_new_file_synced(tmp, bytes); !error.empty()) return error;
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        auto error = sys_error("cannot rename into", path);
        ::unlink(tmp.c_str());
        return error;
    }
    return sync_directory(path.parent_path());
}

bool read_whole_file(const fs::path& path, std::string& out, std::string& error) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        error = sys_error("cannot open", path);
        return false;
    }
    out.clear();
    struct stat st {};
    if (::fstat(fd, &st) == 0 && st.st_size > 0) out.reserve(static_cast<std::size_t>(st.st_size));
    char buffer[65536];
    while (true) {
        ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0) {
            if (errno == EINTR) continue;
            error = sys_error("cannot read", path);
            ::close(fd);
            return false;
        }
        if (n == 0) break;
        out.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return true;
}

std::string make_maildir(const fs::path& dir) {
    std::error_code ec;
    for (const char* sub : {"cur", "new", "tmp"}) {
        fs::create_directories(dir / sub, ec);
        if (ec) return "cannot create " + (dir / sub).string() + ": " + ec.message();
    }
    return {};
}

std::string unique_file_name(std::uint64_t size) {
    static const std::string host = host_name();
    static std::atomic<std::uint64_t> counter{0};
    auto now = std::chrono::system_clock::now().time_since_epoch();
    auto sec = std::chrono::duration_cast<std::chrono::seconds>(now);
    auto usec = std::chrono::duration_cast<std::chrono::microseconds>(now - sec);
    return std::to_string(sec.count()) + ".M" + std::to_string(usec.count()) + "P" +
           std::to_string(::getpid()) + "Q" + std::to_string(++counter) + "." + host +
           ",S=" + std::to_string(size);
}

AppendLog::~AppendLog() { close(); }

std::string AppendLog::open(const fs::path& path) {
    close();
    fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd_ < 0) return sys_error("cannot open", path);
    path_ = path;
    return {};
}

std::string AppendLog::append(std::string_view lines) {
    if (fd_ < 0) return "index log " + path_.string() + " is not open";
    if (auto error = write_all(fd_, lines, path_); !error.empty()) return error;
    if (::fdatasync(fd_) != 0) return sys_error("cannot fdatasync", path_);
    return {};
}

std::string AppendLog::truncate() {
    if (fd_ < 0) return "index log " + path_.string() + " is not open";
    if (::ftruncate(fd_, 0) != 0) return sys_error("cannot truncate", path_);
    if (::fdatasync(fd_) != 0) return sys_error("cannot fdatasync", path_);
    return {};
}

void AppendLog::close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
}

}  // namespace mailspec::server::store_detail
