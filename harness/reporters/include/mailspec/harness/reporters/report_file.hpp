#pragma once
// Report files are written whole or not at all: the bytes go to a temporary file in the same
// folder, are flushed to disk (fsync), and the temporary file is renamed over the path. A reader
// (a CI job collecting reports, a person opening the file during a run) sees the previous report
// or the new one, never a half-written or empty file. Used by every writer of `mailspec run` and
// `mailspec probe`.
#include <string>
#include <string_view>

namespace mailspec::harness::reporters {

// Writes `bytes` to `path` atomically (see above). On failure returns false and sets `error`
// naming the path and the reason; the previous file, if any, is left as it was.
bool write_report_file(const std::string& path, std::string_view bytes, std::string& error);

// Whether a report can later be written to `path`: its folder exists and accepts a new file, and
// `path` is not a folder. Leaves nothing behind (no empty report appears). For checks before a
// long run, so it does not end with a report it cannot write.
bool report_path_writable(const std::string& path, std::string& error);

}  // namespace mailspec::harness::reporters
