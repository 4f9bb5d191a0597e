#include <filesystem>
#include <fstream>
#include <functional>
#include <stdlib.h>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "util/error.hpp"
#include "util/ini_file.hpp"

namespace {

using gsync::util::IniFile;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

// The message of the gsync::Fatal that action throws; fails the test if it throws none.
std::string fatal_message(const std::function<void()>& action) {
  try {
    action();
  } catch (const gsync::Fatal& fatal) {
    EXPECT_EQ(fatal.code(), gsync::ExitCode::usage_or_setup);
    return fatal.what();
  }
  ADD_FAILURE() << "expected gsync::Fatal";
  return {};
}

std::string parse_error(std::string_view text) {
  return fatal_message([&] { IniFile::parse(text, "cfg.ini"); });
}

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "gsync-ini-XXXXXX").string();
    m_path = ::mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return m_path; }

 private:
  std::filesystem::path m_path;
};

// The shape of the real pipeline config.ini, from docs/s3-layout.md.
constexpr std::string_view k_layout_excerpt = R"([REGIONS]
regions = 138_SermiitsiaqInTasermiut
start_end_index =

[PATHS]
# Base output directory on HPC
base_dir = /fs/project/example/greenland_glacier_flow
# Base output directory for local runs (WSL/Ubuntu)
local_base_dir = /home/example/greenland_glacier_flow

[SETTINGS]
cores = 1
memory = 60G
runtime = 15:00:00
satellite = sentinel2
dry_run = False
execution_mode = auto
)";

TEST(UtilIniFile, ParsesTheLayoutDocExcerpt) {
  const auto ini = IniFile::parse(k_layout_excerpt, "config.ini");
  EXPECT_EQ(ini.get("PATHS", "base_dir"), "/fs/project/example/greenland_glacier_flow");
  EXPECT_EQ(ini.get("PATHS", "local_base_dir"), "/home/example/greenland_glacier_flow");
  EXPECT_EQ(ini.get("SETTINGS", "execution_mode"), "auto");
  EXPECT_EQ(ini.get("REGIONS", "regions"), "138_SermiitsiaqInTasermiut");
  // '=' comes before ':' on the line, so the time keeps its colons.
  EXPECT_EQ(ini.get("SETTINGS", "runtime"), "15:00:00");
  EXPECT_THAT(ini.section_names(), ElementsAre("REGIONS", "PATHS", "SETTINGS"));
  EXPECT_FALSE(ini.has_section("S3"));
  EXPECT_EQ(ini.get("S3", "bucket"), std::nullopt);
}

TEST(UtilIniFile, KeysAreCaseInsensitiveSectionNamesAreNot) {
  const auto ini = IniFile::parse("[Paths]\nBase_DIR = /data\n", "cfg.ini");
  EXPECT_EQ(ini.get("Paths", "base_dir"), "/data");
  EXPECT_EQ(ini.get("Paths", "BASE_DIR"), "/data");
  EXPECT_EQ(ini.get("paths", "base_dir"), std::nullopt);
  EXPECT_TRUE(ini.has_section("Paths"));
  EXPECT_FALSE(ini.has_section("PATHS"));
  EXPECT_THAT(ini.keys("Paths"), ElementsAre("base_dir"));
}

TEST(UtilIniFile, ColonIsADelimiterAndTheFirstDelimiterSplits) {
  const auto ini = IniFile::parse("[a]\nkey: value\nurl: http://host:8080/x=1\neq = a:b\n", "c");
  EXPECT_EQ(ini.get("a", "key"), "value");
  EXPECT_EQ(ini.get("a", "url"), "http://host:8080/x=1");
  EXPECT_EQ(ini.get("a", "eq"), "a:b");
}

TEST(UtilIniFile, WholeLineCommentsAreSkippedInlineOnesAreKept) {
  const auto ini = IniFile::parse(
      "# leading comment\n; another\n[a]\n# x = 1\n  ; indented comment\n"
      "y = 2 # not a comment in configparser\nz = 3 ; nor this\n",
      "c");
  EXPECT_EQ(ini.get("a", "x"), std::nullopt);
  EXPECT_EQ(ini.get("a", "y"), "2 # not a comment in configparser");
  EXPECT_EQ(ini.get("a", "z"), "3 ; nor this");
  EXPECT_THAT(ini.keys("a"), ElementsAre("y", "z"));
}

TEST(UtilIniFile, EmptyValueMeansUnset) {
  const auto ini =
      IniFile::parse("[DEFAULT]\nregion = us-east-1\n[a]\nempty =\nblank =    \nregion =\n", "c");
  EXPECT_EQ(ini.get("a", "empty"), std::nullopt);
  EXPECT_EQ(ini.get("a", "blank"), std::nullopt);
  EXPECT_EQ(ini.get_raw("a", "empty"), std::nullopt);
  // The section's own empty value hides the DEFAULT one, as in configparser.
  EXPECT_EQ(ini.get("a", "region"), std::nullopt);
  EXPECT_THAT(ini.keys("a"), ElementsAre("blank", "empty", "region"));
}

TEST(UtilIniFile, IndentedLinesContinueTheValue) {
  const auto ini = IniFile::parse(
      "[a]\nregions = 134_Arsuk\n    101_sermiligarssuk\n\n  # comment inside\n\t191_Hagen_Brae\n"
      "\nnext = x\nopen =\n  first = 1\n  second = 2\n",
      "c");
  EXPECT_EQ(ini.get("a", "regions"), "134_Arsuk\n101_sermiligarssuk\n\n191_Hagen_Brae");
  EXPECT_EQ(ini.get("a", "next"), "x");
  // botocore recognises nested blocks by the leading newline configparser keeps.
  EXPECT_EQ(ini.get_raw("a", "open"), "\nfirst = 1\nsecond = 2");
  EXPECT_THAT(ini.keys("a"), ElementsAre("next", "open", "regions"));
}

TEST(UtilIniFile, DefaultSectionSuppliesEveryOtherSection) {
  const auto ini = IniFile::parse("[DEFAULT]\nshared = yes\n[a]\nown = 1\n[b]\nshared = no\n", "c");
  EXPECT_EQ(ini.get("a", "shared"), "yes");
  EXPECT_EQ(ini.get("b", "shared"), "no");
  EXPECT_EQ(ini.get("DEFAULT", "shared"), "yes");
  EXPECT_EQ(ini.get("missing", "shared"), std::nullopt);
  EXPECT_FALSE(ini.has_section("DEFAULT"));
  EXPECT_THAT(ini.section_names(), ElementsAre("a", "b"));
  EXPECT_THAT(ini.keys("a"), ElementsAre("own", "shared"));
}

TEST(UtilIniFile, InterpolatesFromTheSectionAndDefaults) {
  const auto ini = IniFile::parse(
      "[DEFAULT]\nroot = /fs/project\nwhere = %(name)s-dir\n"
      "[PATHS]\nname = glaciers\nbase_dir = %(ROOT)s/%(name)s\npercent = 100%%\n"
      "nested = %(base_dir)s/sub\n",
      "c");
  EXPECT_EQ(ini.get("PATHS", "base_dir"), "/fs/project/glaciers");
  EXPECT_EQ(ini.get("PATHS", "percent"), "100%");
  EXPECT_EQ(ini.get("PATHS", "nested"), "/fs/project/glaciers/sub");
  // A DEFAULT value is interpolated in the section that asks for it.
  EXPECT_EQ(ini.get("PATHS", "where"), "glaciers-dir");
  EXPECT_EQ(ini.get_raw("PATHS", "base_dir"), "%(ROOT)s/%(name)s");
}

TEST(UtilIniFile, BrokenInterpolationFailsOnlyWhenRead) {
  const auto ini = IniFile::parse(
      "[used]\nok = fine\n[unused]\nmissing = %(nope)s\nbad = 50%\nloop = %(loop)s\n", "cfg.ini");
  EXPECT_EQ(ini.get("used", "ok"), "fine");
  EXPECT_THAT(fatal_message([&] { ini.get("unused", "missing"); }),
              AllOf(StartsWith("cfg.ini:4: "), HasSubstr("nope")));
  EXPECT_THAT(fatal_message([&] { ini.get("unused", "bad"); }),
              AllOf(StartsWith("cfg.ini:5: "), HasSubstr("%%")));
  EXPECT_THAT(fatal_message([&] { ini.get("unused", "loop"); }),
              AllOf(StartsWith("cfg.ini:6: "), HasSubstr("deeper")));
}

TEST(UtilIniFile, ParseErrorsNameTheSourceAndLine) {
  EXPECT_THAT(parse_error("[a]\nx = 1\n[a]\n"),
              AllOf(StartsWith("cfg.ini:3: "), HasSubstr("duplicate section [a]")));
  EXPECT_THAT(
      parse_error("[a]\nKey = 1\n\nkey = 2\n"),
      AllOf(StartsWith("cfg.ini:4: "), HasSubstr("duplicate key 'key'"), HasSubstr("line 2")));
  EXPECT_THAT(parse_error("\nkey = 1\n[a]\n"),
              AllOf(StartsWith("cfg.ini:2: "), HasSubstr("outside any section")));
  EXPECT_THAT(parse_error("[a]\nx = 1\njust words\n"),
              AllOf(StartsWith("cfg.ini:3: "), HasSubstr("key = value")));
  // A stray line may be a pasted secret key, so it is never echoed.
  EXPECT_THAT(parse_error("wJalrXUtnFEMI/K7MDENG\n[a]\n"),
              AllOf(StartsWith("cfg.ini:1: "), Not(HasSubstr("wJalr"))));
  EXPECT_THAT(parse_error("[a]\nwJalrXUtnFEMI/K7MDENG\n"), Not(HasSubstr("wJalr")));
  EXPECT_THAT(parse_error("[a]\n = value\n"), StartsWith("cfg.ini:2: "));
  EXPECT_THAT(parse_error("[DEFAULT]\nx = 1\n[DEFAULT]\nx = 2\n"), StartsWith("cfg.ini:4: "));
  EXPECT_THAT(parse_error("[a]\nx = 1\n[a]\n"), Not(StartsWith("Error")));
}

TEST(UtilIniFile, ToleratesWindowsLineEndingsBomAndHeaderTrailers) {
  const auto ini =
      IniFile::parse("\xEF\xBB\xBF[a] ; note\r\nkey = value\r\nmore = x\r\n  y\r\n", "c");
  EXPECT_THAT(ini.section_names(), ElementsAre("a"));
  EXPECT_EQ(ini.get("a", "key"), "value");
  EXPECT_EQ(ini.get("a", "more"), "x\ny");
}

TEST(UtilIniFile, LoadsARealFileAndNamesItInErrors) {
  const TempDir dir;
  const auto good = dir.path() / "config.ini";
  std::ofstream(good) << k_layout_excerpt;
  const auto ini = IniFile::load(good);
  EXPECT_EQ(ini.get("SETTINGS", "memory"), "60G");
  EXPECT_EQ(ini.source_name(), good.string());

  const auto bad = dir.path() / "bad.ini";
  std::ofstream(bad) << "[a]\n[a]\n";
  EXPECT_THAT(fatal_message([&] { IniFile::load(bad); }), StartsWith(bad.string() + ":2: "));

  const auto missing = dir.path() / "missing.ini";
  EXPECT_THAT(fatal_message([&] { IniFile::load(missing); }),
              AllOf(HasSubstr(missing.string()), HasSubstr("No such file")));
  EXPECT_THAT(fatal_message([&] { IniFile::load(dir.path()); }), HasSubstr("directory"));
}

}  // namespace
