#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <list>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "sync/decision.hpp"

namespace gsync::sync {

// The local side of the compare stage: each folder is read once (one readdir), and only
// names that exist are stat'ed. A first sync into an empty tree costs one failed opendir
// per folder and no stat at all; an incremental sync stats only files it must compare.
// Folders are kept in a least-recently-used cache bounded by the total number of names,
// because listings of parallel regions interleave but each stays in few folders at a time.
class LocalDirectoryIndex {
 public:
  explicit LocalDirectoryIndex(std::size_t max_cached_names = 50'000);

  // Same contract as stat_local_file: nullopt when nothing is there, gsync::Error when the
  // folder or file cannot be inspected.
  std::optional<LocalFileInfo> lookup(const std::filesystem::path& absolute_path);

  // Called for every temp or partial file name met while reading a folder, so that files
  // left by a killed run are found without a scan of their own.
  void set_leftover_hook(
      std::function<void(const std::string& folder, const std::string& name)> hook) {
    m_leftover_hook = std::move(hook);
  }

  std::size_t folders_read() const noexcept { return m_folders_read; }
  std::size_t files_inspected() const noexcept { return m_files_inspected; }

 private:
  struct Folder {
    std::string path;
    bool exists = false;
    std::unordered_set<std::string> names;
  };

  const Folder& folder(const std::string& path);
  Folder read_folder(const std::string& path);
  void evict_to_fit();

  std::size_t m_max_cached_names;
  std::size_t m_cached_names = 0;
  std::list<Folder> m_recent;  // most recently used first
  std::unordered_map<std::string, std::list<Folder>::iterator> m_by_path;
  std::size_t m_folders_read = 0;
  std::size_t m_files_inspected = 0;
  std::function<void(const std::string&, const std::string&)> m_leftover_hook;
};

}  // namespace gsync::sync
