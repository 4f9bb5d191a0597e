#include "sync/folder_handle_cache.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <utility>

#include "util/error.hpp"
#include "util/printable.hpp"

namespace gsync::sync {
namespace {

constexpr int k_folder_flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;

[[noreturn]] void throw_open_failure(int parent, const char* name,
                                     const std::filesystem::path& walked, int error) {
  struct stat st {};
  const std::string shown = util::printable(walked.string());
  if (::fstatat(parent, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
    if (S_ISLNK(st.st_mode)) {
      throw Error("refusing to follow symlink " + shown + " below the data directory");
    }
    if (!S_ISDIR(st.st_mode)) {
      throw Error("cannot create folder " + shown + ": a file of that name is in the way");
    }
  }
  throw Error("cannot open folder " + shown + ": " + std::strerror(error));
}

util::UniqueFd open_or_create_child(int parent, const char* name,
                                    const std::filesystem::path& walked) {
  int fd = ::openat(parent, name, k_folder_flags);
  if (fd < 0 && errno == ENOENT) {
    // Another user may create it at the same moment: EEXIST is success here.
    if (::mkdirat(parent, name, 0777) != 0 && errno != EEXIST) {
      const int error = errno;
      throw Error("cannot create folder " + util::printable(walked.string()) + ": " +
                  std::strerror(error));
    }
    fd = ::openat(parent, name, k_folder_flags);
  }
  if (fd < 0) {
    throw_open_failure(parent, name, walked, errno);
  }
  return util::UniqueFd(fd);
}

}  // namespace

util::UniqueFd open_folder_below(int start, const std::filesystem::path& start_path,
                                 const std::filesystem::path& relative_folder) {
  util::UniqueFd folder;
  std::filesystem::path walked = start_path;
  for (const auto& component : relative_folder) {
    walked /= component;
    folder = open_or_create_child(folder ? folder.get() : start, component.c_str(), walked);
  }
  if (!folder) {
    // An empty relative path: the start folder itself, as a descriptor of its own.
    folder.reset(::fcntl(start, F_DUPFD_CLOEXEC, 0));
    if (!folder) {
      const int error = errno;
      throw Error("cannot open folder " + util::printable(start_path.string()) + ": " +
                  std::strerror(error));
    }
  }
  return folder;
}

FolderHandleCache::FolderHandleCache(std::filesystem::path data_root, std::size_t capacity)
    : m_data_root(std::move(data_root)), m_capacity(capacity == 0 ? 1 : capacity) {}

SharedFolder FolderHandleCache::root() {
  if (!m_root) {
    util::UniqueFd fd(::open(m_data_root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!fd) {
      const int error = errno;
      throw Error("cannot open data directory " + util::printable(m_data_root.string()) + ": " +
                  std::strerror(error));
    }
    m_root = std::make_shared<const util::UniqueFd>(std::move(fd));
  }
  return m_root;
}

SharedFolder FolderHandleCache::open(const std::filesystem::path& relative_folder) {
  if (relative_folder.empty()) {
    return root();
  }
  if (auto found = m_entries.find(relative_folder.native()); found != m_entries.end()) {
    m_recency.splice(m_recency.begin(), m_recency, found->second.recency);
    return found->second.folder;
  }
  // Walk down from the nearest folder already open, remembering each folder on the way:
  // the region and satellite folders are shared by everything below them.
  std::filesystem::path start = relative_folder.parent_path();
  SharedFolder start_folder;
  while (!start.empty()) {
    if (auto found = m_entries.find(start.native()); found != m_entries.end()) {
      start_folder = found->second.folder;
      break;
    }
    start = start.parent_path();
  }
  if (!start_folder) {
    start_folder = root();
  }
  std::filesystem::path walked = start;
  const std::string rest =
      relative_folder.native().substr(start.empty() ? 0 : start.native().size() + 1);
  SharedFolder folder = start_folder;
  for (const auto& component : std::filesystem::path(rest)) {
    walked /= component;
    folder = std::make_shared<const util::UniqueFd>(
        open_or_create_child(folder->get(), component.c_str(), walked));
    remember(walked.native(), folder);
  }
  return folder;
}

void FolderHandleCache::remember(const std::string& key, SharedFolder folder) {
  if (auto found = m_entries.find(key); found != m_entries.end()) {
    found->second.folder = std::move(folder);
    m_recency.splice(m_recency.begin(), m_recency, found->second.recency);
    return;
  }
  if (m_entries.size() >= m_capacity) {
    m_entries.erase(m_recency.back());
    m_recency.pop_back();
  }
  m_recency.push_front(key);
  m_entries.emplace(key, Entry{std::move(folder), m_recency.begin()});
}

void FolderHandleCache::forget(const std::filesystem::path& relative_folder) {
  // Everything below a forgotten folder goes too: those descriptors may be just as stale.
  const std::string& prefix = relative_folder.native();
  if (prefix.empty()) {
    m_entries.clear();
    m_recency.clear();
    m_root.reset();
    return;
  }
  for (auto it = m_recency.begin(); it != m_recency.end();) {
    const bool below = *it == prefix ||
                       (it->size() > prefix.size() && it->compare(0, prefix.size(), prefix) == 0 &&
                        (*it)[prefix.size()] == '/');
    if (below) {
      m_entries.erase(*it);
      it = m_recency.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace gsync::sync
