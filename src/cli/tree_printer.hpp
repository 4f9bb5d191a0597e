#pragma once

#include <filesystem>
#include <string>

namespace gsync::cli {

struct TreeOptions {
  int max_depth = 3;             // levels below the root; below 1 shows the root alone
  int max_entries_per_dir = 20;  // below 1 means no cap
};

// Draws the local tree after a sync, like `tree -L 3` with --dirsfirst: the root as given,
// then folders before files, each sorted by name (byte order), with ├── └── │ lines. A
// folder with more than max_entries_per_dir entries shows that many then
// "└── … and N more". Temp files of unfinished downloads are left out. Symlinks are shown
// as "name -> target", counted as files and never followed. Names are made printable
// (control bytes escaped). The last line is "N directories, M files", counting everything that
// exists down to max_depth, including entries the cap hid. Never throws for unreadable folders:
// they show "[error opening dir]".
std::string render_tree(const std::filesystem::path& root, const TreeOptions& options);

}  // namespace gsync::cli
