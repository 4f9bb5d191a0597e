#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "cli/tree_printer.hpp"

namespace {

namespace fs = std::filesystem;
using gsync::cli::render_tree;
using gsync::cli::TreeOptions;

class CliTreePrinter : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/gsync-test-tree-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    m_root = pattern;
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(m_root, ignored);
  }

  void touch(const fs::path& relative) {
    fs::create_directories((m_root / relative).parent_path());
    std::ofstream(m_root / relative) << "x";
  }

  fs::path m_root;
};

TEST_F(CliTreePrinter, DrawsASmallTreeFoldersFirstSortedByName) {
  touch("sentinel2/134_Arsuk/clipped/b.tif");
  touch("sentinel2/134_Arsuk/clipped/a.tif");
  touch("sentinel2/134_Arsuk/notes.txt");
  touch("sentinel2/101_sermiligarssuk/template/t.tif");
  touch("landsat/_reference/stac.json");
  touch("README");
  const std::string expected = m_root.native() +
                               "\n"
                               "├── landsat\n"
                               "│   └── _reference\n"
                               "│       └── stac.json\n"
                               "├── sentinel2\n"
                               "│   ├── 101_sermiligarssuk\n"
                               "│   │   └── template\n"
                               "│   └── 134_Arsuk\n"
                               "│       ├── clipped\n"
                               "│       └── notes.txt\n"
                               "└── README\n"
                               "\n"
                               "7 directories, 3 files\n";
  EXPECT_EQ(render_tree(m_root, TreeOptions{}), expected);
}

TEST_F(CliTreePrinter, DepthLimitStopsDrawingAndCounting) {
  touch("a/b/c/d/deep.txt");
  touch("a/top.txt");
  EXPECT_EQ(render_tree(m_root, TreeOptions{1, 20}), m_root.native() +
                                                         "\n"
                                                         "└── a\n"
                                                         "\n"
                                                         "1 directories, 0 files\n");
  EXPECT_EQ(render_tree(m_root, TreeOptions{2, 20}), m_root.native() +
                                                         "\n"
                                                         "└── a\n"
                                                         "    ├── b\n"
                                                         "    └── top.txt\n"
                                                         "\n"
                                                         "2 directories, 1 files\n");
  EXPECT_EQ(render_tree(m_root, TreeOptions{5, 20}), m_root.native() +
                                                         "\n"
                                                         "└── a\n"
                                                         "    ├── b\n"
                                                         "    │   └── c\n"
                                                         "    │       └── d\n"
                                                         "    │           └── deep.txt\n"
                                                         "    └── top.txt\n"
                                                         "\n"
                                                         "4 directories, 2 files\n");
}

TEST_F(CliTreePrinter, HidesTempFilesOfUnfinishedDownloads) {
  touch("r/a.tif");
  touch("r/.a.tif.0123abcd.gsync-tmp");
  touch("r/.hidden");
  EXPECT_EQ(render_tree(m_root, TreeOptions{}), m_root.native() +
                                                    "\n"
                                                    "└── r\n"
                                                    "    ├── .hidden\n"
                                                    "    └── a.tif\n"
                                                    "\n"
                                                    "1 directories, 2 files\n");
}

TEST_F(CliTreePrinter, CapsEntriesPerFolderButCountsThemAll) {
  for (int i = 0; i < 5; ++i) {
    touch("r/f" + std::to_string(i) + ".tif");
  }
  touch("r/sub/inner.tif");
  EXPECT_EQ(render_tree(m_root, TreeOptions{3, 2}), m_root.native() +
                                                        "\n"
                                                        "└── r\n"
                                                        "    ├── sub\n"
                                                        "    │   └── inner.tif\n"
                                                        "    ├── f0.tif\n"
                                                        "    └── … and 4 more\n"
                                                        "\n"
                                                        "2 directories, 6 files\n");
}

TEST_F(CliTreePrinter, HiddenFoldersAreCountedDownToTheDepthLimit) {
  touch("a/x.txt");
  touch("b/deep/y.txt");
  touch("c/z.txt");
  // Cap 1 shows only "a"; "b", "b/deep", "c" and their files are counted up to depth 2.
  EXPECT_EQ(render_tree(m_root, TreeOptions{2, 1}), m_root.native() +
                                                        "\n"
                                                        "├── a\n"
                                                        "│   └── x.txt\n"
                                                        "└── … and 2 more\n"
                                                        "\n"
                                                        "4 directories, 2 files\n");
}

TEST_F(CliTreePrinter, SymlinksAreShownButNotFollowed) {
  touch("real/a.txt");
  fs::create_directory_symlink(m_root / "real", m_root / "link");
  const std::string out = render_tree(m_root, TreeOptions{});
  EXPECT_NE(out.find("└── link -> " + (m_root / "real").native() + "\n"), std::string::npos) << out;
  EXPECT_NE(out.find("\n1 directories, 2 files\n"), std::string::npos) << out;
}

TEST_F(CliTreePrinter, ControlBytesInNamesAreEscaped) {
  touch("evil\x1b[2Jname");
  const std::string out = render_tree(m_root, TreeOptions{});
  EXPECT_EQ(out.find('\x1b'), std::string::npos) << out;
  EXPECT_NE(out.find("name"), std::string::npos);
}

TEST_F(CliTreePrinter, MissingRootSaysSoInsteadOfThrowing) {
  const std::string out = render_tree(m_root / "missing", TreeOptions{});
  EXPECT_NE(out.find("[error opening dir]"), std::string::npos) << out;
  EXPECT_NE(out.find("0 directories, 0 files"), std::string::npos) << out;
}

}  // namespace
