#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string_view>

#include "sync/remote_object.hpp"
#include "util/time_format.hpp"

namespace gsync::sync {

// never: the default, safe with several people syncing one directory.
// when_different: --force-overwrite.
enum class OverwritePolicy { never, when_different };

struct LocalFileInfo {
  std::uint64_t size = 0;
  util::SystemTime mtime;
  bool is_regular_file = true;
};

enum class Action {
  download,             // nothing local: fetch it
  skip_same,            // local file matches
  keep_differs,         // safe mode: local file differs but is never overwritten
  replace,              // --force-overwrite: local file differs and is replaced
  conflict_not_a_file,  // a folder, symlink or device sits where the file goes: untouched
};

// A download sets the local mtime to LastModified, so with when_different an mtime a
// second or more away means the object was rewritten in S3 (reprocessed data often has
// the same size). Below a second is filesystem timestamp granularity, not a change.
Action decide(const RemoteObject& remote, const std::optional<LocalFileInfo>& local,
              OverwritePolicy policy);

// "download", "skip_same", "keep_differs", "replace", "conflict_not_a_file".
std::string_view action_name(Action a);

// lstat (a symlink is reported as not a regular file, never followed). nullopt when
// nothing is there (ENOENT, ENOTDIR); gsync::Error for anything else (EACCES, EIO...),
// because guessing "absent" there could lead to a download over a file we cannot see.
std::optional<LocalFileInfo> stat_local_file(const std::filesystem::path& path);

}  // namespace gsync::sync
