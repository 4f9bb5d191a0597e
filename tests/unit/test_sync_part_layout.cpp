#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sync/part_layout.hpp"
#include "util/digest.hpp"

namespace gsync::sync {
namespace {

const std::string k_etag = "\"0123456789abcdef0123456789abcdef-3\"";
constexpr std::uint64_t MiB = 1024 * 1024;

http::HttpResponse head_answer(http::HeaderList headers, long status = 200) {
  http::HttpResponse response;
  response.status = status;
  response.headers = std::move(headers);
  return response;
}

TEST(SyncPartLayout, PartsOfAMultipartEtag) {
  EXPECT_EQ(multipart_etag_parts(k_etag), 3u);
  EXPECT_EQ(multipart_etag_parts("0123456789abcdef0123456789abcdef-10000"), 10000u);
  EXPECT_FALSE(multipart_etag_parts("0123456789abcdef0123456789abcdef"));
  EXPECT_FALSE(multipart_etag_parts("0123456789abcdef0123456789abcdef-0"));
  EXPECT_FALSE(multipart_etag_parts("0123456789abcdef0123456789abcdef-x"));
  EXPECT_FALSE(multipart_etag_parts("not-an-etag-3"));
}

TEST(SyncPartLayout, LayoutFromTheFirstPartsHead) {
  const auto layout = parse_part_layout(
      head_answer({{"content-length", std::to_string(5 * MiB)}, {"x-amz-mp-parts-count", "3"}}),
      11 * MiB + 5, k_etag);
  ASSERT_TRUE(layout);
  EXPECT_EQ(layout->part_size, 5 * MiB);
  EXPECT_EQ(layout->part_count, 3u);
}

TEST(SyncPartLayout, NoLayoutWhenTheServerDoesNotSayOrItDoesNotFit) {
  // The local gateway: the whole object, no parts count.
  EXPECT_FALSE(parse_part_layout(head_answer({{"content-length", std::to_string(11 * MiB + 5)}}),
                                 11 * MiB + 5, k_etag));
  // A count that disagrees with the ETag, or a size that cannot give that count.
  EXPECT_FALSE(parse_part_layout(
      head_answer({{"content-length", std::to_string(5 * MiB)}, {"x-amz-mp-parts-count", "4"}}),
      11 * MiB + 5, k_etag));
  EXPECT_FALSE(parse_part_layout(
      head_answer({{"content-length", std::to_string(3 * MiB)}, {"x-amz-mp-parts-count", "3"}}),
      11 * MiB + 5, k_etag));
  EXPECT_FALSE(parse_part_layout(
      head_answer({{"content-length", std::to_string(5 * MiB)}, {"x-amz-mp-parts-count", "3"}},
                  404),
      11 * MiB + 5, k_etag));
  EXPECT_FALSE(parse_part_layout(
      head_answer({{"content-length", "0"}, {"x-amz-mp-parts-count", "3"}}), 11 * MiB + 5, k_etag));
}

TEST(SyncPartLayout, MultipartEtagIsTheMd5OfThePartMd5s) {
  std::vector<std::string> parts;
  util::Digest md5(util::DigestKind::md5);
  for (const char* part : {"first part", "second part"}) {
    md5.update(std::string_view(part));
    const auto raw = md5.finish();
    parts.emplace_back(raw.begin(), raw.end());
  }
  md5.update(parts[0] + parts[1]);
  EXPECT_EQ(multipart_etag(parts), md5.finish_hex() + "-2");
}

}  // namespace
}  // namespace gsync::sync
