#include "mailspec/harness/reporters/report_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <vector>

namespace mailspec::harness::reporters {
namespace {

namespace fs = std::filesystem;

std::string folder_of(const std::string& path) {
    const fs::path parent = fs::path(path).parent_path();
    return parent.empty() ? std::string(".") : parent.string();
}

// A new, empty temporary file beside `path` ("<path>.tmp-XXXXXX"); -1 with `error` set on failure.
int make_temporary(const std::string& path, std::string& temporary, std::string& error) {
    std::vector<char> name(path.begin(), path.end());
    const std::string suffix = ".tmp-XXXXXX";
    name.insert(name.end(), suffix.begin(), suffix.end());
    name.push_back('\0');
    const int fd = ::mkstemp(name.data());
    if (fd < 0) {
        error = "cannot write report '" + path + "': cannot create a file in " + folder_of(path) + ": " +
                std::strerror(errno);
        return -1;
    }
    temporary = name.data();
    return fd;
}

}  // namespace

bool write_report_file(const std::string& path, std::string_view bytes, std::string& error) {
    std::string temporary;
    const int fd = make_temporary(path, temporary, error);
    if (fd < 0) return false;
    const char* data = bytes.data();
    std::size_t left = bytes.size();
    int saved = 0;
    while (left > 0) {
        const ssize_t n = ::write(fd, data, left);
        if (n < 0) {
            if (errno == EINTR) continue;
            saved = errno;
            break;
        }
        data += n;
        left -= static_cast<std::size_t>(n);
    }
    if (saved == 0 && ::fsync(fd) != 0) saved = errno;
    if (::close(fd) != 0 && saved == 0) saved = errno;
    if (saved == 0 && ::rename(temporary.c_str(), path.c_str()) != 0) saved = errno;
    if (saved != 0) {
        ::unlink(temporary.c_str());
        error = "cannot write report '" + path + "': " + std::strerror(saved);
        return false;
    }
    // The rename itself is durable once the folder is synced (best effort: a report is not mail).
    const int dir = ::open(folder_of(path).c_str(), O_RDONLY | O_DIRECTORY);
    if (dir >= 0) {
        ::fsync(dir);
        ::close(dir);
    }
    return true;
}

bool report_path_writable(const std::string& path, std::string& error) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
        error = "cannot write report '" + path + "': it is a folder";
        return false;
    }
    std::string temporary;
    const int fd = make_temporary(path, temporary, error);
    if (fd < 0) return false;
    ::close(fd);
    ::unlink(temporary.c_str());
    return true;
}

}  // namespace mailspec::harness::reporters
