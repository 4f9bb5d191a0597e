#include "cli/tree_printer.hpp"

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <system_error>
#include <vector>

#include "sync/atomic_file_writer.hpp"
#include "util/printable.hpp"

namespace gsync::cli {
namespace {

namespace fs = std::filesystem;

struct Entry {
  std::string name;
  fs::path path;
  bool is_directory = false;
  bool is_symlink = false;
};

struct Counts {
  std::uint64_t directories = 0;
  std::uint64_t files = 0;
};

// Folders first, then everything else, each by name. A folder that cannot be read sets
// ok to false instead of throwing, so the tree is still drawn.
std::vector<Entry> list_entries(const fs::path& folder, bool& ok) {
  std::vector<Entry> entries;
  std::error_code error;
  fs::directory_iterator it(folder, error);
  ok = !error;
  for (; !error && it != fs::directory_iterator(); it.increment(error)) {
    Entry entry;
    entry.path = it->path();
    entry.name = entry.path.filename().native();
    if (sync::is_temp_file_name(entry.name) || sync::is_partial_file_name(entry.name)) {
      continue;
    }
    std::error_code status_error;
    const fs::file_status status = it->symlink_status(status_error);
    entry.is_symlink = fs::is_symlink(status);
    entry.is_directory = fs::is_directory(status);
    entries.push_back(std::move(entry));
  }
  if (error) {
    ok = false;
  }
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    if (a.is_directory != b.is_directory) {
      return a.is_directory;
    }
    return a.name < b.name;
  });
  return entries;
}

// Counts what the cap hid, down to the same depth the drawing would have gone.
void count_hidden(const Entry& entry, int depth, int max_depth, Counts& counts) {
  if (!entry.is_directory) {
    ++counts.files;
    return;
  }
  ++counts.directories;
  if (depth >= max_depth) {
    return;
  }
  bool ok = true;
  for (const Entry& child : list_entries(entry.path, ok)) {
    count_hidden(child, depth + 1, max_depth, counts);
  }
}

class TreeRenderer {
 public:
  explicit TreeRenderer(const TreeOptions& options) : m_options(options) {}

  void draw_folder(const fs::path& folder, const std::string& indent, int depth) {
    bool ok = true;
    const std::vector<Entry> entries = list_entries(folder, ok);
    if (!ok && entries.empty()) {
      m_out += indent + "└── [error opening dir]\n";
      return;
    }
    const std::size_t cap = m_options.max_entries_per_dir < 1
                                ? entries.size()
                                : static_cast<std::size_t>(m_options.max_entries_per_dir);
    const std::size_t shown = std::min(cap, entries.size());
    const bool has_more = shown < entries.size();
    for (std::size_t i = 0; i < shown; ++i) {
      const bool last = i + 1 == shown && !has_more;
      draw_entry(entries[i], indent, last, depth);
    }
    if (has_more) {
      for (std::size_t i = shown; i < entries.size(); ++i) {
        count_hidden(entries[i], depth, m_options.max_depth, m_counts);
      }
      m_out += indent + "└── … and " + std::to_string(entries.size() - shown) + " more\n";
    }
  }

  std::string finish() {
    // Always plural, as the spec fixes the format for scripts that read it.
    m_out += "\n" + std::to_string(m_counts.directories) + " directories, " +
             std::to_string(m_counts.files) + " files\n";
    return std::move(m_out);
  }

  void add_line(const std::string& line) { m_out += line + "\n"; }

 private:
  void draw_entry(const Entry& entry, const std::string& indent, bool last, int depth) {
    std::string line = indent + (last ? "└── " : "├── ") + util::printable(entry.name);
    if (entry.is_symlink) {
      std::error_code error;
      const fs::path target = fs::read_symlink(entry.path, error);
      if (!error) {
        line += " -> " + util::printable(target.native());
      }
    }
    m_out += line + "\n";
    if (!entry.is_directory) {
      ++m_counts.files;
      return;
    }
    ++m_counts.directories;
    if (depth < m_options.max_depth) {
      draw_folder(entry.path, indent + (last ? "    " : "│   "), depth + 1);
    }
  }

  TreeOptions m_options;
  Counts m_counts;
  std::string m_out;
};

}  // namespace

std::string render_tree(const std::filesystem::path& root, const TreeOptions& options) {
  TreeRenderer renderer(options);
  renderer.add_line(util::printable(root.native()));
  if (options.max_depth >= 1) {
    renderer.draw_folder(root, "", 1);
  }
  return renderer.finish();
}

}  // namespace gsync::cli
