#pragma once

#include <string>
#include <string_view>

namespace gsync::sync {

// --exclude-downloads: leaves out every object below a folder with the given name, at any
// depth under the satellite root. Only folder segments count: a file that happens to be
// called "download" is still synced, and "downloads" or "predownload" never match.
class ExcludeFilter {
 public:
  ExcludeFilter() = default;  // excludes nothing
  // Surrounding slashes are dropped ("download/" as the old script wrote it works).
  // Throws gsync::Error for a name that is empty after that or still holds a '/', since
  // such a filter could never match and would silently exclude nothing.
  explicit ExcludeFilter(std::string folder_name);

  bool active() const { return !m_folder_name.empty(); }
  const std::string& folder_name() const { return m_folder_name; }

  // remainder is the key after the satellite root prefix:
  // "001_x/download/2020/a.tif" -> true, "001_x/download.tif" -> false.
  bool excludes_key_remainder(std::string_view remainder) const;
  // A common prefix from a delimited listing, after the root prefix: "001_x/download/" ->
  // true, so the listing need not descend into it.
  bool excludes_common_prefix(std::string_view prefix_remainder) const;

 private:
  bool has_folder_segment(std::string_view path) const;

  std::string m_folder_name;
};

}  // namespace gsync::sync
