// Mailbox index: snapshot + idempotent change log, reconciled with the Maildir files at load.
#include "store/mailbox_index.hpp"

#include <algorithm>
#include <charconv>
#include <set>
#include <sys/stat.h>

namespace mailspec::server::store_detail {

namespace {

constexpr const char* kSnapshot = "mailspec-index";
constexpr const char* kLog = "mailspec-index.log";
constexpr std::size_t kCompactAfter = 4096;  // log records beyond the live message count

std::vector<std::string_view> split_words(std::string_view line) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && line[i] == ' ') ++i;
        std::size_t start = i;
        while (i < line.size() && line[i] != ' ') ++i;
        if (i > start) out.push_back(line.substr(start, i - start));
    }
    return out;
}

template <class T>
bool number(std::string_view text, T& out) {
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && ptr == text.data() + text.size();
}

std::string flag_words(const Flags& flags) {
    std::string out;
    for (const auto& name : flags.names()) {
        out += ' ';
        out += name;
    }
    return out;
}

Flags parse_flags(const std::vector<std::string_view>& words, std::size_t from) {
    Flags flags;
    for (std::size_t i = from; i < words.size(); ++i) flags.add(words[i]);
    return flags;
}

// Lines that end with '\n'; a trailing partial line (torn write) is dropped.
std::vector<std::string_view> complete_lines(std::string_view text) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    while (true) {
        auto nl = text.find('\n', start);
        if (nl == std::string_view::npos) break;
        out.push_back(text.substr(start, nl - start));
        start = nl + 1;
    }
    return out;
}

}  // namespace

std::string format_entry(const IndexEntry& e) {
    return std::to_string(e.uid) + " " + std::to_string(e.time) + " " + std::to_string(e.zone) +
           " " + std::to_string(e.size) + " " + e.file + flag_words(e.flags);
}

bool parse_entry(std::string_view line, IndexEntry& e) {
    auto words = split_words(line);
    if (words.size() < 5) return false;
    if (!number(words[0], e.uid) || e.uid == 0 || !number(words[1], e.time) ||
        !number(words[2], e.zone) || !number(words[3], e.size)) {
        return false;
    }
    e.file = std::string(words[4]);
    if (e.file.rfind("new/", 0) != 0 && e.file.rfind("cur/", 0) != 0) return false;
    if (e.file.find("..") != std::string::npos) return false;
    e.flags = parse_flags(words, 5);
    return true;
}

const IndexEntry* MailboxIndex::find(Uid uid) const {
    auto it = entries_.find(uid);
    return it == entries_.end() ? nullptr : &it->second;
}

std::string MailboxIndex::apply_log_line(std::string_view line) {
    if (line.size() < 2 || line[1] != ' ') return "bad record";
    auto rest = line.substr(2);
    auto words = split_words(rest);
    switch (line[0]) {
    case 'A': {
        IndexEntry entry;
        if (!parse_entry(rest, entry)) return "bad A record";
        uidnext_ = std::max(uidnext_, entry.uid + 1);
        entries_[entry.uid] = std::move(entry);
        return {};
    }
    case 'F': {
        Uid uid = 0;
        if (words.empty() || !number(words[0], uid)) return "bad F record";
        if (auto it = entries_.find(uid); it != entries_.end()) it->second.flags = parse_flags(words, 1);
        return {};
    }
    case 'X': {
        Uid uid = 0;
        if (words.size() != 1 || !number(words[0], uid)) return "bad X record";
        entries_.erase(uid);
        return {};
    }
    case 'R': {
        Uid floor = 0;
        if (words.size() != 1 || !number(words[0], floor)) return "bad R record";
        recent_floor_ = floor;
        return {};
    }
    default: return "unknown record";
    }
}

std::string MailboxIndex::load(const fs::path& dir, std::uint32_t new_uidvalidity) {
    dir_ = dir;
    entries_.clear();
    uidvalidity_ = new_uidvalidity;
    uidnext_ = 1;
    recent_floor_ = 1;

    std::string text, error;
    bool dirty = false;  // the snapshot on disk differs from what was loaded
    if (!read_whole_file(dir / kSnapshot, text, error)) {
        dirty = true;  // a new mailbox: persist its UIDVALIDITY now
    } else {
        auto lines = complete_lines(text);
        auto header = lines.empty() ? std::vector<std::string_view>{} : split_words(lines[0]);
        bool valid = header.size() == 5 && header[0] == "mailspec-index" && header[1] == "1" &&
                     number(header[2], uidvalidity_) && number(header[3], uidnext_) &&
                     number(header[4], recent_floor_);
        for (std::size_t i = 1; valid && i < lines.size(); ++i) {
            IndexEntry entry;
            valid = parse_entry(lines[i], entry);
            if (valid) {
                uidnext_ = std::max(uidnext_, entry.uid + 1);
                entries_[entry.uid] = std::move(entry);
            } else {
                problem_ = (dir / kSnapshot).string() + ":" + std::to_string(i + 1) +
                           ": malformed message record";
            }
        }
        if (!valid) {
            // A damaged index must not lock the user out. The UIDs it held cannot be trusted, so
            // every message is indexed afresh under a new UIDVALIDITY (RFC 3501 §2.3.1.1).
            if (problem_.empty()) {
                problem_ = (dir / kSnapshot).string() + ":1: not a mailspec-index version 1 header";
            }
            entries_.clear();
            uidvalidity_ = new_uidvalidity;
            uidnext_ = 1;
            recent_floor_ = 1;
            dirty = true;
            ::unlink((dir / kLog).c_str());  // its records refer to the old UIDs
        }
    }
    if (read_whole_file(dir / kLog, text, error) && !text.empty()) {
        dirty = true;
        // A damaged record can only come from a torn write at the end; stop there.
        for (auto line : complete_lines(text)) {
            if (!apply_log_line(line).empty()) break;
        }
    }

    // Reconcile with the files actually present.
    std::set<std::string> present;
    std::error_code ec;
    for (const char* sub : {"cur", "new"}) {
        for (auto it = fs::directory_iterator(dir / sub, ec); !ec && it != fs::directory_iterator();
             it.increment(ec)) {
            auto name = it->path().filename().string();
            // Names with blanks or controls are not Maildir deliveries (and cannot be indexed).
            bool plain = std::all_of(name.begin(), name.end(), [](char c) {
                return static_cast<unsigned char>(c) > 0x20 && c != 0x7f;
            });
            if (!name.empty() && name[0] != '.' && plain) {
                present.insert(std::string(sub) + "/" + name);
            }
        }
        if (ec) return "cannot list " + (dir / sub).string() + ": " + ec.message();
    }
    std::set<std::string> known;
    for (auto it = entries_.begin(); it != entries_.end();) {
        if (present.count(it->second.file) == 0) {
            dirty = true;
            it = entries_.erase(it);
        } else {
            known.insert(it->second.file);
            ++it;
        }
    }
    std::vector<std::string> unknown;
    for (const auto& file : present) {
        if (known.count(file) == 0) unknown.push_back(file);
    }
    // Maildir names start with the delivery time, so name order is arrival order.
    std::sort(unknown.begin(), unknown.end(), [](const std::string& a, const std::string& b) {
        return a.substr(4) < b.substr(4);
    });
    if (!unknown.empty()) dirty = true;
    for (const auto& file : unknown) {
        struct stat st {};
        if (::stat((dir / file).c_str(), &st) != 0) continue;
        IndexEntry entry;
        entry.uid = uidnext_++;
        entry.file = file;
        entry.size = static_cast<std::uint64_t>(st.st_size);
        entry.time = st.st_mtime;
        auto info = file.find(":2,");
        if (info != std::string::npos) {
            for (char c : file.substr(info + 3)) {
                switch (c) {
                case 'S': entry.flags.system |= Flags::seen; break;
                case 'R': entry.flags.system |= Flags::answered; break;
                case 'F': entry.flags.system |= Flags::flagged; break;
                case 'T': entry.flags.system |= Flags::deleted; break;
                case 'D': entry.flags.system |= Flags::draft; break;
                default: break;
                }
            }
        }
        entries_[entry.uid] = std::move(entry);
    }
    // Files left in tmp/ are deliveries that never completed: they are not messages.
    for (auto it = fs::directory_iterator(dir / "tmp", ec); !ec && it != fs::directory_iterator();
         it.increment(ec)) {
        std::error_code ignored;
        fs::remove(it->path(), ignored);
    }
    if (auto error = log_.open(dir / kLog); !error.empty()) return error;
    return dirty ? compact() : std::string();
}

std::string MailboxIndex::compact() {
    std::string text = "mailspec-index 1 " + std::to_string(uidvalidity_) + " " +
                       std::to_string(uidnext_) + " " + std::to_string(recent_floor_) + "\n";
    for (const auto& [uid, entry] : entries_) text += format_entry(entry) + "\n";
    if (auto error = replace_file_atomically(dir_ / kSnapshot, text); !error.empty()) return error;
    log_records_ = 0;
    return log_.truncate();
}

std::string MailboxIndex::log(std::string lines, std::size_t records) {
    if (auto error = log_.append(lines); !error.empty()) return error;
    log_records_ += records;
    return {};
}

std::string MailboxIndex::add(std::vector<IndexEntry>& added) {
    std::string lines;
    Uid next = uidnext_;
    for (auto& entry : added) {
        entry.uid = next++;
        lines += "A " + format_entry(entry) + "\n";
    }
    if (auto error = log(std::move(lines), added.size()); !error.empty()) return error;
    for (const auto& entry : added) entries_[entry.uid] = entry;
    uidnext_ = next;
    if (log_records_ > kCompactAfter + entries_.size()) return compact();
    return {};
}

std::string MailboxIndex::set_flags(const std::vector<std::pair<Uid, Flags>>& changes) {
    if (changes.empty()) return {};
    std::string lines;
    for (const auto& [uid, flags] : changes) lines += "F " + std::to_string(uid) + flag_words(flags) + "\n";
    if (auto error = log(std::move(lines), changes.size()); !error.empty()) return error;
    for (const auto& [uid, flags] : changes) {
        if (auto it = entries_.find(uid); it != entries_.end()) it->second.flags = flags;
    }
    if (log_records_ > kCompactAfter + entries_.size()) return compact();
    return {};
}

std::string MailboxIndex::remove(const std::vector<Uid>& uids) {
    if (uids.empty()) return {};
    std::string lines;
    for (Uid uid : uids) lines += "X " + std::to_string(uid) + "\n";
    if (auto error = log(std::move(lines), uids.size()); !error.empty()) return error;
    for (Uid uid : uids) entries_.erase(uid);
    if (log_records_ > kCompactAfter + entries_.size()) return compact();
    return {};
}

std::string MailboxIndex::set_recent_floor(Uid floor) {
    if (floor == recent_floor_) return {};
    if (auto error = log("R " + std::to_string(floor) + "\n", 1); !error.empty()) return error;
    recent_floor_ = floor;
    return {};
}

}  // namespace mailspec::server::store_detail
