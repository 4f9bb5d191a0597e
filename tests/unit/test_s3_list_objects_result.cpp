#include <gtest/gtest.h>

#include "s3/list_objects_result.hpp"
#include "util/error.hpp"

namespace gsync::s3 {
namespace {

using namespace std::chrono;
using namespace std::chrono_literals;

// Shape of a real S3 ListObjectsV2 page requested with encoding-type=url and a delimiter.
constexpr const char* k_encoded_page = R"(<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Name>example-bucket</Name>
  <Prefix>photos%2F2024+summer%2F</Prefix>
  <KeyCount>4</KeyCount>
  <MaxKeys>1000</MaxKeys>
  <Delimiter>%2F</Delimiter>
  <EncodingType>url</EncodingType>
  <IsTruncated>false</IsTruncated>
  <Contents>
    <Key>photos/2024+summer/beach+day.jpg</Key>
    <LastModified>2024-07-14T09:30:12.000Z</LastModified>
    <ETag>&quot;9b2cf535f27731c974343645a3985328&quot;</ETag>
    <ChecksumAlgorithm>CRC32</ChecksumAlgorithm>
    <Size>434234</Size>
    <Owner>
      <ID>75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a</ID>
      <DisplayName>mtd</DisplayName>
    </Owner>
    <StorageClass>STANDARD</StorageClass>
  </Contents>
  <Contents>
    <Key>photos/2024+summer/c%2Bd%25e%3Df.txt</Key>
    <LastModified>2024-07-15T10:00:00.123Z</LastModified>
    <ETag>&quot;d41d8cd98f00b204e9800998ecf8427e-2&quot;</ETag>
    <Size>0</Size>
    <StorageClass>GLACIER</StorageClass>
  </Contents>
  <Contents>
    <Key>photos/2024+summer/%C3%BCber%E2%82%AC.txt</Key>
    <LastModified>2024-07-16T11:22:33Z</LastModified>
    <ETag>"abc"</ETag>
    <Size>18446744073709551615</Size>
    <StorageClass>DEEP_ARCHIVE</StorageClass>
  </Contents>
  <CommonPrefixes>
    <Prefix>photos/2024+summer/raw+files/</Prefix>
  </CommonPrefixes>
  <CommonPrefixes>
    <Prefix>photos/2024+summer/%C3%A9t%C3%A9/</Prefix>
  </CommonPrefixes>
</ListBucketResult>)";

TEST(S3ListObjectsResult, DecodesUrlEncodedPage) {
  const ListObjectsPage page = parse_list_objects_v2(k_encoded_page);
  EXPECT_FALSE(page.is_truncated);
  EXPECT_EQ(page.next_continuation_token, "");
  EXPECT_EQ(page.prefix, "photos/2024 summer/");
  EXPECT_EQ(page.delimiter, "/");

  ASSERT_EQ(page.objects.size(), 3u);
  const ListedObject& first = page.objects[0];
  EXPECT_EQ(first.key, "photos/2024 summer/beach day.jpg");
  EXPECT_EQ(first.size, 434234u);
  EXPECT_EQ(first.last_modified, sys_days{2024y / July / 14} + 9h + 30min + 12s);
  EXPECT_EQ(first.etag, "\"9b2cf535f27731c974343645a3985328\"");
  EXPECT_EQ(first.storage_class, "STANDARD");

  EXPECT_EQ(page.objects[1].key, "photos/2024 summer/c+d%e=f.txt");
  EXPECT_EQ(page.objects[1].size, 0u);
  EXPECT_EQ(page.objects[1].last_modified, sys_days{2024y / July / 15} + 10h + 123ms);
  EXPECT_EQ(page.objects[1].storage_class, "GLACIER");

  EXPECT_EQ(page.objects[2].key,
            "photos/2024 summer/\xC3\xBC"
            "ber\xE2\x82\xAC.txt");
  EXPECT_EQ(page.objects[2].size, 18446744073709551615ull);
  EXPECT_EQ(page.objects[2].storage_class, "DEEP_ARCHIVE");

  ASSERT_EQ(page.common_prefixes.size(), 2u);
  EXPECT_EQ(page.common_prefixes[0], "photos/2024 summer/raw files/");
  EXPECT_EQ(page.common_prefixes[1], "photos/2024 summer/\xC3\xA9t\xC3\xA9/");
}

TEST(S3ListObjectsResult, KeysAreVerbatimWithoutEncodingType) {
  const ListObjectsPage page = parse_list_objects_v2(R"(<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Name>b</Name><Prefix></Prefix><KeyCount>1</KeyCount><MaxKeys>1000</MaxKeys>
  <IsTruncated>false</IsTruncated>
  <Contents>
    <Key>a+b%2B &amp; &lt;c&gt;</Key>
    <LastModified>2009-10-12T17:50:30.000Z</LastModified>
    <ETag>&quot;fba9dede5f27731c9771645a39863328&quot;</ETag>
    <Size>5</Size>
    <StorageClass>STANDARD</StorageClass>
  </Contents>
</ListBucketResult>)");
  ASSERT_EQ(page.objects.size(), 1u);
  EXPECT_EQ(page.objects[0].key, "a+b%2B & <c>");
}

TEST(S3ListObjectsResult, TruncatedPageCarriesContinuationToken) {
  const ListObjectsPage page = parse_list_objects_v2(R"(<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Name>bucket</Name>
  <Prefix></Prefix>
  <StartAfter>ExampleGuide%2Bpdf</StartAfter>
  <ContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</ContinuationToken>
  <NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=2</NextContinuationToken>
  <KeyCount>1</KeyCount>
  <MaxKeys>1</MaxKeys>
  <EncodingType>url</EncodingType>
  <IsTruncated>true</IsTruncated>
  <Contents>
    <Key>happyface.jpg</Key>
    <LastModified>2014-11-21T19:40:05.000Z</LastModified>
    <ETag>&quot;70ee1738b6b21e2c8a43f3a5ab0eee71&quot;</ETag>
    <Size>11</Size>
    <StorageClass>STANDARD</StorageClass>
  </Contents>
</ListBucketResult>)");
  EXPECT_TRUE(page.is_truncated);
  EXPECT_EQ(page.next_continuation_token, "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=2");
  EXPECT_EQ(page.start_after, "ExampleGuide+pdf");
  ASSERT_EQ(page.objects.size(), 1u);
  EXPECT_EQ(page.objects[0].key, "happyface.jpg");
  EXPECT_EQ(page.objects[0].size, 11u);
}

TEST(S3ListObjectsResult, EmptyBucket) {
  const ListObjectsPage page = parse_list_objects_v2(R"(<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>empty</Name><Prefix></Prefix><KeyCount>0</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated></ListBucketResult>)");
  EXPECT_TRUE(page.objects.empty());
  EXPECT_TRUE(page.common_prefixes.empty());
  EXPECT_FALSE(page.is_truncated);
}

std::string one_object(const std::string& fields, const std::string& extra = "") {
  return "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">" + extra +
         "<IsTruncated>false</IsTruncated><Contents>" + fields + "</Contents></ListBucketResult>";
}

TEST(S3ListObjectsResult, AcceptsMinimalObject) {
  const ListObjectsPage page = parse_list_objects_v2(
      one_object("<Key>k</Key><Size>1</Size><LastModified>2020-01-01T00:00:00Z</LastModified>"));
  ASSERT_EQ(page.objects.size(), 1u);
  EXPECT_EQ(page.objects[0].etag, "");
  EXPECT_EQ(page.objects[0].storage_class, "");
}

TEST(S3ListObjectsResult, MalformedXmlThrows) {
  EXPECT_THROW(parse_list_objects_v2(""), gsync::Error);
  EXPECT_THROW(parse_list_objects_v2("<ListBucketResult><Contents><Key>a</Key>"), gsync::Error);
  EXPECT_THROW(parse_list_objects_v2("not xml at all"), gsync::Error);
  EXPECT_THROW(parse_list_objects_v2("<Error><Code>AccessDenied</Code></Error>"), gsync::Error);
}

TEST(S3ListObjectsResult, MissingOrBadFieldsThrow) {
  const std::string date = "<LastModified>2020-01-01T00:00:00Z</LastModified>";
  EXPECT_THROW(parse_list_objects_v2(one_object("<Size>1</Size>" + date)), gsync::Error);
  EXPECT_THROW(parse_list_objects_v2(one_object("<Key>k</Key>" + date)), gsync::Error);
  EXPECT_THROW(parse_list_objects_v2(one_object("<Key>k</Key><Size>1</Size>")), gsync::Error);
  EXPECT_THROW(parse_list_objects_v2(one_object("<Key>k</Key><Size>-1</Size>" + date)),
               gsync::Error);
  EXPECT_THROW(parse_list_objects_v2(one_object("<Key>k</Key><Size>12x</Size>" + date)),
               gsync::Error);
  EXPECT_THROW(parse_list_objects_v2(one_object("<Key>k</Key><Size></Size>" + date)), gsync::Error);
  EXPECT_THROW(
      parse_list_objects_v2(one_object("<Key>k</Key><Size>18446744073709551616</Size>" + date)),
      gsync::Error);
  EXPECT_THROW(parse_list_objects_v2(
                   one_object("<Key>k</Key><Size>1</Size><LastModified>yesterday</LastModified>")),
               gsync::Error);
}

TEST(S3ListObjectsResult, BadEscapeThrowsOnlyWhenUrlEncoded) {
  const std::string fields =
      "<Key>50%</Key><Size>1</Size><LastModified>2020-01-01T00:00:00Z</LastModified>";
  EXPECT_THROW(parse_list_objects_v2(one_object(fields, "<EncodingType>url</EncodingType>")),
               gsync::Error);
  EXPECT_EQ(parse_list_objects_v2(one_object(fields)).objects.at(0).key, "50%");
}

TEST(S3ListObjectsResult, TruncatedWithoutTokenThrows) {
  EXPECT_THROW(parse_list_objects_v2("<ListBucketResult><IsTruncated>true</IsTruncated>"
                                     "</ListBucketResult>"),
               gsync::Error);
  EXPECT_THROW(parse_list_objects_v2("<ListBucketResult><IsTruncated>maybe</IsTruncated>"
                                     "</ListBucketResult>"),
               gsync::Error);
}

}  // namespace
}  // namespace gsync::s3
