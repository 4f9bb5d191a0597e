#include "sync/decision.hpp"

#include <cerrno>
#include <cstring>
#include <sys/stat.h>

#include "util/error.hpp"
#include "util/printable.hpp"

namespace gsync::sync {
namespace {

constexpr auto k_mtime_tolerance = std::chrono::seconds(1);

bool mtimes_differ(util::SystemTime a, util::SystemTime b) {
  // Subtract the larger from the smaller's side so the difference is never negative.
  const auto difference = a > b ? a - b : b - a;
  return difference >= k_mtime_tolerance;
}

}  // namespace

Action decide(const RemoteObject& remote, const std::optional<LocalFileInfo>& local,
              OverwritePolicy policy) {
  if (!local) {
    return Action::download;
  }
  if (!local->is_regular_file) {
    return Action::conflict_not_a_file;
  }
  const bool same_size = local->size == remote.size;
  switch (policy) {
    case OverwritePolicy::never:
      return same_size ? Action::skip_same : Action::keep_differs;
    case OverwritePolicy::when_different:
      return same_size && !mtimes_differ(local->mtime, remote.last_modified) ? Action::skip_same
                                                                             : Action::replace;
  }
  return Action::keep_differs;  // unreachable; the safe answer if it ever is not
}

std::string_view action_name(Action a) {
  switch (a) {
    case Action::download:
      return "download";
    case Action::skip_same:
      return "skip_same";
    case Action::keep_differs:
      return "keep_differs";
    case Action::replace:
      return "replace";
    case Action::conflict_not_a_file:
      return "conflict_not_a_file";
  }
  return "unknown";
}

std::optional<LocalFileInfo> stat_local_file(const std::filesystem::path& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    const int error = errno;
    if (error == ENOENT || error == ENOTDIR) {
      return std::nullopt;
    }
    throw Error("cannot inspect " + util::printable(path.string()) + ": " + std::strerror(error));
  }
  LocalFileInfo info;
  info.size = static_cast<std::uint64_t>(st.st_size);
  info.mtime = util::SystemTime(std::chrono::duration_cast<util::SystemTime::duration>(
      std::chrono::seconds(st.st_mtim.tv_sec) + std::chrono::nanoseconds(st.st_mtim.tv_nsec)));
  info.is_regular_file = S_ISREG(st.st_mode);
  return info;
}

}  // namespace gsync::sync
