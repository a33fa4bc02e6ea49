#pragma once
// One mailbox's index (internal to the store): UIDVALIDITY, UIDNEXT, the first UID still \Recent,
// and per message its UID, file, size, internal date and flags.
//
// On disk: "mailspec-index" (a snapshot, replaced atomically) plus "mailspec-index.log" (changes
// since, one line each, fdatasync'd before a mutation returns). Every log record is idempotent
// (absolute values), so replaying a log over a newer snapshot is harmless. A last line without
// '\n' is a torn write and is ignored.
//
//   snapshot:  "mailspec-index 1 <uidvalidity> <uidnext> <recent-floor>\n" then one line per
//              message: "<uid> <unix-time> <zone-minutes> <size> <file> [flag ...]\n"
//   log:       "A <message line>" | "F <uid> [flag ...]" | "X <uid>" | "R <recent-floor>"
//
// Not thread-safe: the store calls it under the user's mutex.
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "store/maildir_files.hpp"
#include "store/store.hpp"

namespace mailspec::server::store_detail {

struct IndexEntry {
    Uid uid = 0;
    std::string file;  // relative to the mailbox directory: "new/<name>" or "cur/<name>:2,S"
    std::uint64_t size = 0;
    std::int64_t time = 0;  // internal date, seconds since the epoch (UTC)
    int zone = 0;           // minutes east of UTC
    Flags flags;
};

std::string format_entry(const IndexEntry& entry);
bool parse_entry(std::string_view line, IndexEntry& entry);

class MailboxIndex {
public:
    // Loads the mailbox in `dir` (a Maildir). Without a snapshot the mailbox starts with
    // `new_uidvalidity`. Reconciles with the files: entries whose file vanished are dropped; files
    // in cur/ or new/ that the index does not know get new UIDs (crash recovery, or mail dropped in
    // by another program); files left in tmp/ are removed. A damaged snapshot is rebuilt from the
    // files under a new UIDVALIDITY (see problem()). Then compacts if anything changed. Returns an
    // error message (file system failures) or "".
    std::string load(const fs::path& dir, std::uint32_t new_uidvalidity);

    const fs::path& dir() const { return dir_; }
    std::uint32_t uidvalidity() const { return uidvalidity_; }
    Uid uidnext() const { return uidnext_; }
    Uid recent_floor() const { return recent_floor_; }
    const std::map<Uid, IndexEntry>& entries() const { return entries_; }
    const IndexEntry* find(Uid uid) const;
    // Set by load() when a damaged snapshot was rebuilt from the files (for the log); else "".
    const std::string& problem() const { return problem_; }

    // Each mutation is durable (logged and synced) before it changes memory.
    // add(): assigns uids from uidnext in order; the files must already be in place.
    std::string add(std::vector<IndexEntry>& entries);
    std::string set_flags(const std::vector<std::pair<Uid, Flags>>& changes);
    std::string remove(const std::vector<Uid>& uids);
    std::string set_recent_floor(Uid floor);
    // Rewrites the snapshot and empties the log.
    std::string compact();

private:
    std::string apply_log_line(std::string_view line);
    std::string log(std::string lines, std::size_t records);

    fs::path dir_;
    std::uint32_t uidvalidity_ = 0;
    Uid uidnext_ = 1;
    Uid recent_floor_ = 1;
    std::map<Uid, IndexEntry> entries_;
    AppendLog log_;
    std::size_t log_records_ = 0;
    std::string problem_;
};

}  // namespace mailspec::server::store_detail
