#include "sync/local_directory_index.hpp"

#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <memory>

#include "sync/atomic_file_writer.hpp"
#include "util/error.hpp"
#include "util/printable.hpp"

namespace gsync::sync {

namespace {

struct DirCloser {
  void operator()(DIR* dir) const noexcept { ::closedir(dir); }
};

}  // namespace

LocalDirectoryIndex::LocalDirectoryIndex(std::size_t max_cached_names)
    : m_max_cached_names(max_cached_names) {}

std::optional<LocalFileInfo> LocalDirectoryIndex::lookup(
    const std::filesystem::path& absolute_path) {
  const std::string name = absolute_path.filename().string();
  const Folder& parent = folder(absolute_path.parent_path().string());
  if (!parent.exists || !parent.names.contains(name)) {
    return std::nullopt;
  }
  ++m_files_inspected;
  return stat_local_file(absolute_path);
}

const LocalDirectoryIndex::Folder& LocalDirectoryIndex::folder(const std::string& path) {
  if (auto found = m_by_path.find(path); found != m_by_path.end()) {
    m_recent.splice(m_recent.begin(), m_recent, found->second);
    return *found->second;
  }
  m_recent.push_front(read_folder(path));
  ++m_folders_read;
  m_by_path.emplace(path, m_recent.begin());
  m_cached_names += m_recent.front().names.size();
  evict_to_fit();
  return m_recent.front();
}

LocalDirectoryIndex::Folder LocalDirectoryIndex::read_folder(const std::string& path) {
  Folder folder;
  folder.path = path;
  std::unique_ptr<DIR, DirCloser> dir(::opendir(path.c_str()));
  if (!dir) {
    const int error = errno;
    if (error == ENOENT || error == ENOTDIR) {
      return folder;  // nothing below it exists yet
    }
    throw Error("cannot read folder " + util::printable(path) + ": " + std::strerror(error));
  }
  folder.exists = true;
  errno = 0;
  while (const dirent* entry = ::readdir(dir.get())) {
    const std::string_view name = entry->d_name;
    if (name != "." && name != "..") {
      folder.names.emplace(name);
      if (m_leftover_hook && (is_temp_file_name(name) || is_partial_file_name(name))) {
        m_leftover_hook(path, std::string(name));
      }
    }
    errno = 0;
  }
  if (errno != 0) {
    throw Error("cannot read folder " + util::printable(path) + ": " + std::strerror(errno));
  }
  return folder;
}

void LocalDirectoryIndex::evict_to_fit() {
  // The folder just read stays even if it alone exceeds the budget: it is the one in use.
  while (m_cached_names > m_max_cached_names && m_recent.size() > 1) {
    const Folder& oldest = m_recent.back();
    m_cached_names -= oldest.names.size();
    m_by_path.erase(oldest.path);
    m_recent.pop_back();
  }
}

}  // namespace gsync::sync
