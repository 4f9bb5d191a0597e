#include "s3/list_objects_result.hpp"

#include <charconv>

#include <pugixml.hpp>

#include "util/error.hpp"
#include "util/uri.hpp"

namespace gsync::s3 {
namespace {

class PageParser {
 public:
  explicit PageParser(bool url_encoded) : m_url_encoded(url_encoded) {}

  std::string decoded(pugi::xml_node parent, const char* name) const {
    const std::string raw = parent.child(name).text().as_string();
    if (!m_url_encoded) {
      return raw;
    }
    auto result = util::url_decode(raw, true);
    if (!result) {
      throw Error(std::string("ListObjectsV2: bad URL escape in ") + name + ": " + raw);
    }
    return std::move(*result);
  }

  ListedObject object(pugi::xml_node contents) const {
    ListedObject out;
    if (!contents.child("Key")) {
      throw Error("ListObjectsV2: Contents without Key");
    }
    out.key = decoded(contents, "Key");
    out.size = size(contents, out.key);
    out.last_modified = last_modified(contents, out.key);
    out.etag = contents.child("ETag").text().as_string();
    out.storage_class = contents.child("StorageClass").text().as_string();
    return out;
  }

 private:
  static std::uint64_t size(pugi::xml_node contents, const std::string& key) {
    const pugi::xml_node node = contents.child("Size");
    if (!node) {
      throw Error("ListObjectsV2: no Size for " + key);
    }
    const std::string_view text = node.text().as_string();
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
      throw Error("ListObjectsV2: bad Size '" + std::string(text) + "' for " + key);
    }
    return value;
  }

  static util::SystemTime last_modified(pugi::xml_node contents, const std::string& key) {
    const pugi::xml_node node = contents.child("LastModified");
    if (!node) {
      throw Error("ListObjectsV2: no LastModified for " + key);
    }
    const auto parsed = util::parse_iso8601(node.text().as_string());
    if (!parsed) {
      throw Error(std::string("ListObjectsV2: bad LastModified '") + node.text().as_string() +
                  "' for " + key);
    }
    return *parsed;
  }

  bool m_url_encoded;
};

bool parse_truncated(pugi::xml_node root) {
  const pugi::xml_node node = root.child("IsTruncated");
  if (!node) {
    return false;
  }
  const std::string_view text = node.text().as_string();
  if (text == "true") {
    return true;
  }
  if (text == "false") {
    return false;
  }
  throw Error("ListObjectsV2: bad IsTruncated '" + std::string(text) + "'");
}

}  // namespace

ListObjectsPage parse_list_objects_v2(std::string_view xml) {
  pugi::xml_document document;
  const pugi::xml_parse_result result = document.load_buffer(xml.data(), xml.size());
  if (!result) {
    throw Error(std::string("ListObjectsV2: malformed XML: ") + result.description());
  }
  const pugi::xml_node root = document.child("ListBucketResult");
  if (!root) {
    throw Error("ListObjectsV2: response is not a ListBucketResult");
  }

  const std::string_view encoding = root.child("EncodingType").text().as_string();
  const PageParser parser(encoding == "url");

  ListObjectsPage page;
  for (const pugi::xml_node contents : root.children("Contents")) {
    page.objects.push_back(parser.object(contents));
  }
  for (const pugi::xml_node common : root.children("CommonPrefixes")) {
    page.common_prefixes.push_back(parser.decoded(common, "Prefix"));
  }
  page.prefix = parser.decoded(root, "Prefix");
  page.delimiter = parser.decoded(root, "Delimiter");
  page.start_after = parser.decoded(root, "StartAfter");
  page.is_truncated = parse_truncated(root);
  page.next_continuation_token = root.child("NextContinuationToken").text().as_string();
  if (page.is_truncated && page.next_continuation_token.empty()) {
    throw Error("ListObjectsV2: truncated page without NextContinuationToken");
  }
  return page;
}

}  // namespace gsync::s3
