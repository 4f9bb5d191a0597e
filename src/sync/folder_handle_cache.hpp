#pragma once

#include <cstddef>
#include <filesystem>
#include <list>
#include <memory>
#include <string>
#include <unordered_map>

#include "util/unique_fd.hpp"

namespace gsync::sync {

using SharedFolder = std::shared_ptr<const util::UniqueFd>;

// Open descriptors of the folders below the data root that downloads write into.
//
// Creating a file safely means walking down from the data root with O_NOFOLLOW, one
// openat per path component; on an overlay or network filesystem each costs tens of
// microseconds, and that walk was two thirds of a small-file sync's system time. Files of
// one listing arrive together, so a small LRU of folder descriptors turns the walk into
// one openat of the temp file. A descriptor stays valid while a writer holds it even if
// the cache evicts it. Single-threaded, like the engine that drives it.
class FolderHandleCache {
 public:
  explicit FolderHandleCache(std::filesystem::path data_root, std::size_t capacity = 128);

  // data_root/relative_folder, creating missing folders with mode 0777 (minus umask).
  // gsync::Error when a component is a symlink or a file, or cannot be created or opened.
  SharedFolder open(const std::filesystem::path& relative_folder);

  // Drops one folder (e.g. it was removed by someone else), so the next open walks again.
  void forget(const std::filesystem::path& relative_folder);

  const std::filesystem::path& data_root() const { return m_data_root; }
  std::size_t size() const { return m_entries.size(); }

 private:
  struct Entry {
    SharedFolder folder;
    std::list<std::string>::iterator recency;
  };

  SharedFolder root();
  void remember(const std::string& key, SharedFolder folder);

  std::filesystem::path m_data_root;
  std::size_t m_capacity;
  SharedFolder m_root;
  std::unordered_map<std::string, Entry> m_entries;
  std::list<std::string> m_recency;  // front: most recently used
};

// The uncached walk: opens data_root/relative_folder below `start` (an open descriptor of
// data_root/start_path), creating missing folders, refusing symlinks.
util::UniqueFd open_folder_below(int start, const std::filesystem::path& start_path,
                                 const std::filesystem::path& relative_folder);

}  // namespace gsync::sync
