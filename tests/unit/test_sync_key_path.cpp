#include <string>

#include <gtest/gtest.h>

#include "sync/key_path.hpp"

namespace {

using gsync::sync::KeyKind;
using gsync::sync::map_key;

constexpr std::string_view k_root = "1_download_merge_and_clip/sentinel2/";

std::string key(std::string_view remainder) {
  return std::string(k_root) + std::string(remainder);
}

void expect_refused(const std::string& k, std::string_view reason_part) {
  const auto mapping = map_key(k, k_root);
  EXPECT_EQ(mapping.kind, KeyKind::refused) << k;
  EXPECT_TRUE(mapping.relative_path.empty()) << k;
  EXPECT_NE(mapping.reason.find(reason_part), std::string::npos)
      << "reason '" << mapping.reason << "' should mention '" << reason_part << "'";
}

TEST(SyncKeyPath, MapsAFileBelowTheLocalCopyOfThePrefix) {
  const auto mapping = map_key(key("140_CentralLindenow/clipped/S2A.tif"), k_root);
  EXPECT_EQ(mapping.kind, KeyKind::file);
  EXPECT_EQ(mapping.relative_path.native(),
            "1_download_merge_and_clip/sentinel2/140_CentralLindenow/clipped/S2A.tif");
  EXPECT_TRUE(mapping.reason.empty());
}

TEST(SyncKeyPath, AcceptsUnicodeSpacesAndUrlLikeCharactersExactly) {
  for (const std::string remainder :
       {"r/with space.tif", "r/grønland ø.tif", "r/a+b.tif", "r/100%25.tif", "r/k=v&x=y.csv",
        "r/日本語/ファイル.txt", "r/emoji 🧊.txt", "r/ trailing space ", "r/.hidden", "r/...",
        "r/back\\slash"}) {
    const auto mapping = map_key(key(remainder), k_root);
    EXPECT_EQ(mapping.kind, KeyKind::file) << remainder << ": " << mapping.reason;
    EXPECT_EQ(mapping.relative_path.native(),
              std::string("1_download_merge_and_clip/sentinel2/") + std::string(remainder));
  }
}

TEST(SyncKeyPath, RefusesParentSegmentsAnywhere) {
  expect_refused(key(".."), "'..'");
  expect_refused(key("../escape.tif"), "'..'");
  expect_refused(key("r/../../../etc/passwd"), "'..'");
  expect_refused(key("r/.."), "'..'");
  expect_refused(key("r/../"), "'..'");
}

TEST(SyncKeyPath, RefusesDotSegments) {
  expect_refused(key("./a.tif"), "'.'");
  expect_refused(key("r/./a.tif"), "'.'");
  expect_refused(key("r/."), "'.'");
}

TEST(SyncKeyPath, RefusesEmptySegments) {
  expect_refused(key("a//b"), "empty");
  expect_refused(key("a//"), "empty");
}

TEST(SyncKeyPath, RefusesAbsoluteRemainder) {
  expect_refused(key("/etc/passwd"), "absolute");
  expect_refused(key("/"), "absolute");
}

TEST(SyncKeyPath, RefusesNulByte) {
  std::string k = key("r/a");
  k.push_back('\0');
  k += "b.tif";
  ASSERT_EQ(k.size(), key("r/a").size() + 6);
  expect_refused(k, "NUL");
}

TEST(SyncKeyPath, RefusesControlCharacters) {
  expect_refused(key("r/a\nb.tif"), "0x0A");
  expect_refused(key("r/a\tb.tif"), "0x09");
  expect_refused(key("r/\x1b[31mred.tif"), "0x1B");
  expect_refused(key("r/a\x7f.tif"), "0x7F");
  expect_refused(key("r\x01/a.tif"), "0x01");
}

TEST(SyncKeyPath, ReasonsNeverContainTheKeyBytes) {
  const auto mapping = map_key(key("r/\x1b[2Jx.tif"), k_root);
  ASSERT_EQ(mapping.kind, KeyKind::refused);
  EXPECT_EQ(mapping.reason.find('\x1b'), std::string::npos);
}

TEST(SyncKeyPath, SegmentOf255BytesIsAcceptedAnd256Refused) {
  const std::string ok(255, 'a');
  const auto mapping = map_key(key("r/" + ok), k_root);
  EXPECT_EQ(mapping.kind, KeyKind::file);
  EXPECT_EQ(mapping.relative_path.filename().native(), ok);
  expect_refused(key("r/" + std::string(256, 'a')), "255");
  expect_refused(key(std::string(256, 'd') + "/a.tif"), "255");
}

TEST(SyncKeyPath, RefusesInvalidUtf8) {
  expect_refused(key("r/\xff.tif"), "UTF-8");
  expect_refused(key("r/\xc3.tif"), "UTF-8");              // truncated sequence
  expect_refused(key("r/\xc0\xaf.tif"), "UTF-8");          // overlong '/'
  expect_refused(key("r/\xed\xa0\x80.tif"), "UTF-8");      // surrogate
  expect_refused(key("r/\xf4\x90\x80\x80.tif"), "UTF-8");  // above U+10FFFF
  expect_refused(key("r/\x80.tif"), "UTF-8");              // lone continuation
  expect_refused(key("r/\xe2\x82"), "UTF-8");              // cut at the end
}

TEST(SyncKeyPath, Utf8ValidatorAcceptsAllSequenceLengths) {
  EXPECT_TRUE(gsync::sync::is_valid_utf8("a\xc3\xa9\xe2\x82\xac\xf0\x9f\xa7\x8a"));
  EXPECT_TRUE(gsync::sync::is_valid_utf8("\xf4\x8f\xbf\xbf"));  // U+10FFFF
  EXPECT_FALSE(gsync::sync::is_valid_utf8("\xe0\x80\x80"));     // overlong NUL
}

TEST(SyncKeyPath, KeyEndingInSlashIsADirectoryMarker) {
  const auto mapping = map_key(key("140_x/download/"), k_root);
  EXPECT_EQ(mapping.kind, KeyKind::directory_marker);
  EXPECT_EQ(mapping.relative_path.native(), "1_download_merge_and_clip/sentinel2/140_x/download");
}

TEST(SyncKeyPath, TheRootPrefixItselfIsADirectoryMarker) {
  const auto mapping = map_key(k_root, k_root);
  EXPECT_EQ(mapping.kind, KeyKind::directory_marker);
  EXPECT_EQ(mapping.relative_path.native(), "1_download_merge_and_clip/sentinel2");
}

TEST(SyncKeyPath, DirectoryMarkerSegmentsAreStillValidated) {
  expect_refused(key("../"), "'..'");
  expect_refused(key("a/../b/"), "'..'");
  expect_refused(key("a\n/"), "0x0A");
}

TEST(SyncKeyPath, RefusesKeysOutsideTheRootPrefix) {
  expect_refused("1_download_merge_and_clip/landsat/r/a.tif", "outside");
  expect_refused("1_download_merge_and_clip/sentinel2", "outside");  // prefix without '/'
  expect_refused("", "outside");
  expect_refused("other/1_download_merge_and_clip/sentinel2/a.tif", "outside");
}

TEST(SyncKeyPath, RefusesAnUnsafeRootPrefix) {
  EXPECT_EQ(map_key("../x/a.tif", "../x/").kind, KeyKind::refused);
  EXPECT_EQ(map_key("/abs/a.tif", "/abs/").kind, KeyKind::refused);
  EXPECT_EQ(map_key("noslash/a.tif", "noslash").kind, KeyKind::refused);
}

TEST(SyncKeyPath, EmptyRootPrefixMapsKeysAsTheyAre) {
  const auto mapping = map_key("a/b.tif", "");
  EXPECT_EQ(mapping.kind, KeyKind::file);
  EXPECT_EQ(mapping.relative_path.native(), "a/b.tif");
  EXPECT_EQ(map_key("/etc/passwd", "").kind, KeyKind::refused);
}

}  // namespace
