#pragma once
// Durable file operations for the store (internal). Each returns an empty string on success or an
// error message naming the path and the system error.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace mailspec::server::store_detail {

namespace fs = std::filesystem;

// Writes `bytes` to a new file `path` (must not exist), fsyncs it and closes it.
std::string write_new_file_synced(const fs::path& path, std::string_view bytes);
// The same without fsync (for data that is re-created if lost).
std::string write_new_file(const fs::path& path, std::string_view bytes);
// fsync of a directory, making renames and unlinks in it durable.
std::string sync_directory(const fs::path& dir);
// Replaces `path` atomically: writes path + ".tmp", fsyncs, renames over `path`, fsyncs the dir.
std::string replace_file_atomically(const fs::path& path, std::string_view bytes);
// Reads a whole file. Returns false when it cannot be opened (error set).
bool read_whole_file(const fs::path& path, std::string& out, std::string& error);
// Creates dir/{cur,new,tmp} (and dir) if missing.
std::string make_maildir(const fs::path& dir);
// A unique Maildir file name: "<sec>.M<usec>P<pid>Q<n>.<host>,S=<size>" (Maildir convention).
std::string unique_file_name(std::uint64_t size);

// An append-only log file kept open; append() writes lines and fdatasyncs.
class AppendLog {
public:
    AppendLog() = default;
    ~AppendLog();
    AppendLog(const AppendLog&) = delete;
    AppendLog& operator=(const AppendLog&) = delete;
    std::string open(const fs::path& path);
    std::string append(std::string_view lines);  // lines end with '\n'; durable on success
    std::string truncate();                      // durable
    void close();

private:
    int fd_ = -1;
    fs::path path_;
};

}  // namespace mailspec::server::store_detail
