#include "sync/exclude_filter.hpp"

#include "util/error.hpp"

namespace gsync::sync {

ExcludeFilter::ExcludeFilter(std::string folder_name) {
  std::string_view name = folder_name;
  while (!name.empty() && name.front() == '/') {
    name.remove_prefix(1);
  }
  while (!name.empty() && name.back() == '/') {
    name.remove_suffix(1);
  }
  if (name.empty() || name.find('/') != std::string_view::npos) {
    throw Error("download folder to exclude must be one folder name, got '" + folder_name + "'");
  }
  m_folder_name = std::string(name);
}

bool ExcludeFilter::has_folder_segment(std::string_view path) const {
  if (!active()) {
    return false;
  }
  // Every segment followed by a '/' is a folder; whatever follows the last '/' is the
  // file name (or, for a common prefix, nothing) and never counts.
  std::size_t start = 0;
  for (std::size_t slash = path.find('/'); slash != std::string_view::npos;
       slash = path.find('/', start)) {
    if (path.substr(start, slash - start) == m_folder_name) {
      return true;
    }
    start = slash + 1;
  }
  return false;
}

bool ExcludeFilter::excludes_key_remainder(std::string_view remainder) const {
  return has_folder_segment(remainder);
}

bool ExcludeFilter::excludes_common_prefix(std::string_view prefix_remainder) const {
  return has_folder_segment(prefix_remainder);
}

}  // namespace gsync::sync
