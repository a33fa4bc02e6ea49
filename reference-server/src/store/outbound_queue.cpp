// The outbound queue (see outbound_queue.hpp): a Maildir of messages for remote recipients, the
// envelope recorded in front as Return-Path (RFC 5321 §4.4) and X-Mailspec-Envelope-To fields.
#include "store/outbound_queue.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <set>
#include <system_error>

#include "store/maildir_files.hpp"

namespace mailspec::server {

namespace fs = std::filesystem;
namespace detail = store_detail;

namespace {

StoreError io_error(std::string message) { return {StoreErrc::io_error, std::move(message)}; }

bool breaks_header(std::string_view address) {
    return address.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
}

// Names of regular files directly in `dir`, sorted. A missing directory gives an empty list.
StoreResult<std::vector<std::string>> file_names(const fs::path& dir) {
    std::vector<std::string> names;
    std::error_code ec;
    if (!fs::exists(dir, ec)) return names;
    fs::directory_iterator it(dir, ec);
    if (ec) return io_error("cannot list " + dir.string() + ": " + ec.message());
    for (const auto& entry : it) {
        std::error_code type_ec;
        if (entry.is_regular_file(type_ec)) names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
}

// "<addr>" -> "addr"; anything else is returned as is.
std::string strip_angles(std::string_view value) {
    if (value.size() >= 2 && value.front() == '<' && value.back() == '>') value = value.substr(1, value.size() - 2);
    return std::string(value);
}

// Reads the envelope fields at the top of a queued file (they are written first, one per line).
void parse_envelope(QueuedMessage& message) {
    std::size_t pos = 0;
    while (pos < message.bytes.size()) {
        const auto end = message.bytes.find("\r\n", pos);
        if (end == std::string::npos) break;
        const std::string_view line(message.bytes.data() + pos, end - pos);
        const auto colon = line.find(':');
        if (colon == std::string_view::npos) break;
        const std::string_view name = line.substr(0, colon);
        std::string_view value = line.substr(colon + 1);
        if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
        if (name == OutboundQueue::return_path_field) message.reverse_path = strip_angles(value);
        else if (name == OutboundQueue::envelope_to_field) message.recipients.push_back(strip_angles(value));
        else break;
        pos = end + 2;
    }
}

}  // namespace

OutboundQueue::OutboundQueue(const fs::path& store_root) : dir_(store_root / "outbound") {}

StoreResult<std::string> OutboundQueue::envelope_header(std::string_view reverse_path,
                                                        const std::vector<std::string>& recipients) {
    if (breaks_header(reverse_path))
        return StoreError{StoreErrc::invalid_name, "reverse-path contains CR, LF or NUL"};
    std::string header;
    header.append(return_path_field).append(": <").append(reverse_path).append(">\r\n");
    std::set<std::string_view> seen;
    for (const auto& recipient : recipients) {
        if (recipient.empty() || breaks_header(recipient))
            return StoreError{StoreErrc::invalid_name, "recipient address is empty or contains CR, LF or NUL"};
        if (!seen.insert(recipient).second) continue;
        header.append(envelope_to_field).append(": <").append(recipient).append(">\r\n");
    }
    return header;
}

StoreResult<std::string> OutboundQueue::enqueue(std::string_view reverse_path,
                                                const std::vector<std::string>& recipients,
                                                std::string_view message) {
    // Check (no side effects).
    if (recipients.empty()) return StoreError{StoreErrc::invalid_name, "no recipient to queue the message for"};
    auto header = envelope_header(reverse_path, recipients);
    if (!header) return header.error();
    // Act: tmp/, fsync, rename into new/, fsync new/ (the Maildir delivery protocol).
    if (auto error = detail::make_maildir(dir_); !error.empty()) return io_error(error);
    std::string bytes = std::move(*header);
    bytes.append(message);
    const std::string name = detail::unique_file_name(bytes.size());
    const fs::path tmp = dir_ / "tmp" / name;
    const fs::path target = dir_ / "new" / name;
    if (auto error = detail::write_new_file_synced(tmp, bytes); !error.empty()) return io_error(error);
    if (::rename(tmp.c_str(), target.c_str()) != 0) {
        const std::string error = "cannot rename " + tmp.string() + " into " + target.string() + ": " +
                                  std::strerror(errno);
        ::unlink(tmp.c_str());
        return io_error(error);
    }
    if (auto error = detail::sync_directory(dir_ / "new"); !error.empty()) {
        // Not known to be durable: withdraw it so that the caller's 451 is the whole truth.
        ::unlink(target.c_str());
        return io_error(error);
    }
    return name;
}

StoreResult<std::vector<QueuedMessage>> OutboundQueue::list() const {
    auto names = file_names(dir_ / "new");
    if (!names) return names.error();
    std::vector<QueuedMessage> out;
    for (const auto& name : *names) {
        QueuedMessage message;
        message.file = name;
        std::string error;
        if (!detail::read_whole_file(dir_ / "new" / name, message.bytes, error)) return io_error(error);
        parse_envelope(message);
        out.push_back(std::move(message));
    }
    return out;
}

StoreResult<std::vector<std::string>> OutboundQueue::list_in_progress() const { return file_names(dir_ / "tmp"); }

}  // namespace mailspec::server
