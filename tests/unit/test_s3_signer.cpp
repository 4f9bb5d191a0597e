#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "s3/signer.hpp"
#include "util/digest.hpp"
#include "util/error.hpp"
#include "util/hex.hpp"
#include "util/uri.hpp"

namespace gsync::s3 {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono;
using namespace std::chrono_literals;
using HeaderList = std::vector<std::pair<std::string, std::string>>;

// Inputs the AWS suite's README gives for every case.
const Credentials k_suite_credentials{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                                      ""};
constexpr std::string_view k_suite_region = "us-east-1";
constexpr std::string_view k_suite_service = "service";
const util::SystemTime k_suite_time{sys_days{2015y / August / 30} + 12h + 36min};

fs::path testdata_folder() {
  if (const char* from_env = std::getenv("GSYNC_SIGV4_TESTDATA"); from_env && *from_env) {
    return from_env;
  }
  return GSYNC_SIGV4_TESTDATA_DEFAULT;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw std::runtime_error("cannot read " + path.string());
  }
  std::ostringstream content;
  content << in.rdbuf();
  std::string text = content.str();
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
    text.pop_back();
  }
  return text;
}

std::string lower(std::string text) {
  for (char& c : text) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return text;
}

struct RawRequest {
  std::string method;
  std::string path;       // as on the request line
  std::string raw_query;  // as on the request line, still encoded
  HeaderList headers;
  std::string body;
};

// Reads the suite's .req/.sreq format: request line, headers (a line starting with
// whitespace continues the previous value), blank line, body.
RawRequest parse_raw_request(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) {
      end = text.size();
    }
    std::string line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    lines.push_back(std::move(line));
    start = end + 1;
  }

  RawRequest out;
  const std::string& request_line = lines.at(0);
  const std::size_t method_end = request_line.find(' ');
  // The target may itself contain spaces (normalize-path/get-space), so cut at the last one.
  const std::size_t version_start = request_line.rfind(" HTTP/");
  if (method_end == std::string::npos || version_start == std::string::npos ||
      version_start <= method_end) {
    throw std::runtime_error("bad request line: " + request_line);
  }
  out.method = request_line.substr(0, method_end);
  const std::string target = request_line.substr(method_end + 1, version_start - method_end - 1);
  const std::size_t question = target.find('?');
  out.path = target.substr(0, question);
  if (question != std::string::npos) {
    out.raw_query = target.substr(question + 1);
  }

  std::size_t i = 1;
  for (; i < lines.size() && !lines[i].empty(); ++i) {
    const std::string& line = lines[i];
    if ((line[0] == ' ' || line[0] == '\t') && !out.headers.empty()) {
      out.headers.back().second += ' ' + line;
      continue;
    }
    const std::size_t colon = line.find(':');
    if (colon == std::string::npos) {
      throw std::runtime_error("bad header line: " + line);
    }
    out.headers.emplace_back(line.substr(0, colon), line.substr(colon + 1));
  }
  for (++i; i < lines.size(); ++i) {
    if (!out.body.empty()) {
      out.body += '\n';
    }
    out.body += lines[i];
  }
  return out;
}

HeaderList decode_query(const std::string& raw_query) {
  HeaderList out;
  if (raw_query.empty()) {
    return out;
  }
  std::size_t start = 0;
  while (start <= raw_query.size()) {
    const std::size_t end = std::min(raw_query.find('&', start), raw_query.size());
    const std::string pair = raw_query.substr(start, end - start);
    const std::size_t equals = pair.find('=');
    const auto name = util::url_decode(pair.substr(0, equals), false);
    const auto value = util::url_decode(
        equals == std::string::npos ? std::string() : pair.substr(equals + 1), false);
    if (!name || !value) {
      throw std::runtime_error("bad query: " + raw_query);
    }
    out.emplace_back(*name, *value);
    start = end + 1;
  }
  return out;
}

const std::string* find_header(const HeaderList& headers, const std::string& lower_name) {
  for (const auto& [name, value] : headers) {
    if (lower(name) == lower_name) {
      return &value;
    }
  }
  return nullptr;
}

struct SuiteCase {
  std::string name;  // relative to the suite folder, e.g. "normalize-path/get-space"
  fs::path folder;
  std::string stem;
  fs::path file(const char* extension) const { return folder / (stem + extension); }
};

std::vector<SuiteCase> find_cases(const fs::path& root) {
  std::vector<SuiteCase> out;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file() && entry.path().extension() == ".req") {
      const fs::path folder = entry.path().parent_path();
      out.push_back(
          {fs::relative(folder, root).generic_string(), folder, entry.path().stem().string()});
    }
  }
  std::sort(out.begin(), out.end(),
            [](const SuiteCase& a, const SuiteCase& b) { return a.name < b.name; });
  return out;
}

// Checks one case; returns true when everything matched.
bool check_case(const SuiteCase& suite_case) {
  SCOPED_TRACE(suite_case.name);
  const RawRequest request = parse_raw_request(read_file(suite_case.file(".req")));
  const RawRequest signed_request = parse_raw_request(read_file(suite_case.file(".sreq")));
  const std::string expected_creq = read_file(suite_case.file(".creq"));
  const std::string expected_sts = read_file(suite_case.file(".sts"));
  const std::string expected_authz = read_file(suite_case.file(".authz"));

  SigningInput input;
  input.method = request.method;
  input.decoded_path = request.path;
  input.query = decode_query(request.raw_query);
  input.headers = request.headers;
  input.payload_hash = util::sha256_hex(request.body);

  // The token, where there is one, is not in the .req: it is the X-Amz-Security-Token the
  // .sreq gains. When the .authz signs it, the signer must add and sign it; otherwise
  // (post-sts-header-after) it is attached after signing, which is not the signer's job.
  Credentials credentials = k_suite_credentials;
  const std::string* token = find_header(signed_request.headers, "x-amz-security-token");
  if (token && !find_header(request.headers, "x-amz-security-token") &&
      expected_authz.find("x-amz-security-token") != std::string::npos) {
    credentials.session_token = *token;
  }

  // A "now" other than the vectors' date: the X-Amz-Date header they carry must win.
  const util::SystemTime unrelated_now{sys_days{2001y / January / 1}};
  const HeaderList added = sign_request(input, credentials, k_suite_region, k_suite_service,
                                        unrelated_now, PathEncoding::normalized);

  bool ok = !added.empty() && added.back().first == "Authorization";
  EXPECT_TRUE(ok) << "Authorization must come last";
  SigningInput signed_input = input;
  std::string authorization;
  for (const auto& [name, value] : added) {
    if (name == "Authorization") {
      authorization = value;
    } else {
      signed_input.headers.emplace_back(name, value);
      const std::string* sent = find_header(signed_request.headers, lower(name));
      const bool as_sent = sent != nullptr && *sent == value;
      EXPECT_TRUE(as_sent) << "added header " << name;
      ok = ok && as_sent;
    }
  }

  const std::string creq = canonical_request(signed_input, PathEncoding::normalized);
  const std::string sts = string_to_sign(creq, k_suite_time, k_suite_region, k_suite_service);
  EXPECT_EQ(creq, expected_creq);
  EXPECT_EQ(sts, expected_sts);
  EXPECT_EQ(authorization, expected_authz);
  return ok && creq == expected_creq && sts == expected_sts && authorization == expected_authz;
}

TEST(S3Signer, AwsTestSuiteVectorsAllPass) {
  const fs::path root = testdata_folder();
  ASSERT_TRUE(fs::is_directory(root))
      << "SigV4 test vectors not found at " << root
      << " (set GSYNC_SIGV4_TESTDATA or the GSYNC_SIGV4_TESTDATA CMake cache variable)";
  const std::vector<SuiteCase> cases = find_cases(root);
  ASSERT_GE(cases.size(), 25u) << "too few SigV4 cases under " << root;

  std::set<std::string> passed;
  for (const SuiteCase& suite_case : cases) {
    if (check_case(suite_case)) {
      passed.insert(suite_case.name);
    }
  }
  EXPECT_EQ(passed.size(), cases.size());
  // The tricky ones must have been found and checked, not silently missing.
  for (const char* must_pass :
       {"get-header-value-multiline", "get-header-key-duplicate", "get-header-value-trim",
        "get-vanilla-query-order-key", "get-vanilla-query-order-value", "get-utf8",
        "get-vanilla-with-session-token", "post-sts-token/post-sts-header-before",
        "post-sts-token/post-sts-header-after", "normalize-path/get-space",
        "normalize-path/get-relative-relative", "normalize-path/get-slashes"}) {
    EXPECT_TRUE(passed.count(must_pass)) << must_pass;
  }
}

// The worked example in the S3 API reference ("Signature Calculations for the
// Authorization Header: GET Object").
TEST(S3Signer, S3DocumentationGetObjectExample) {
  SigningInput input;
  input.method = "GET";
  input.decoded_path = "/test.txt";
  input.payload_hash = util::sha256_hex("");
  input.headers = {{"Host", "examplebucket.s3.amazonaws.com"},
                   {"Range", "bytes=0-9"},
                   {"x-amz-content-sha256", input.payload_hash}};
  const Credentials credentials{"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                                ""};
  const util::SystemTime now{sys_days{2013y / May / 24}};

  const HeaderList added =
      sign_request(input, credentials, "us-east-1", "s3", now, PathEncoding::s3);
  ASSERT_EQ(added.size(), 2u);
  EXPECT_EQ(added[0], (std::pair<std::string, std::string>{"x-amz-date", "20130524T000000Z"}));
  EXPECT_EQ(added[1].first, "Authorization");
  EXPECT_EQ(added[1].second,
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");

  SigningInput with_date = input;
  with_date.headers.emplace_back("x-amz-date", "20130524T000000Z");
  EXPECT_EQ(canonical_request(with_date, PathEncoding::s3),
            "GET\n/test.txt\n\n"
            "host:examplebucket.s3.amazonaws.com\n"
            "range:bytes=0-9\n"
            "x-amz-content-sha256:"
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
            "x-amz-date:20130524T000000Z\n\n"
            "host;range;x-amz-content-sha256;x-amz-date\n"
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(S3Signer, S3PathIsEncodedOnceWithoutNormalization) {
  EXPECT_EQ(canonical_uri("/bucket/a b/c+d%e=f/\xC3\xBC.txt", PathEncoding::s3),
            "/bucket/a%20b/c%2Bd%25e%3Df/%C3%BC.txt");
  EXPECT_EQ(canonical_uri("/bucket/a/./b//c/../d", PathEncoding::s3), "/bucket/a/./b//c/../d");
  EXPECT_EQ(canonical_uri("/bucket/my-object//example//photo.user", PathEncoding::s3),
            "/bucket/my-object//example//photo.user");
  EXPECT_EQ(canonical_uri("/bucket/dir/", PathEncoding::s3), "/bucket/dir/");
  EXPECT_EQ(canonical_uri("", PathEncoding::s3), "/");
}

TEST(S3Signer, NormalizedPathRemovesDotSegmentsAndEmptySegments) {
  EXPECT_EQ(canonical_uri("/bucket/a/./b//c/../d", PathEncoding::normalized), "/bucket/a/b/d");
  EXPECT_EQ(canonical_uri("/a/b/..", PathEncoding::normalized), "/a/");
  EXPECT_EQ(canonical_uri("/../..", PathEncoding::normalized), "/");
  EXPECT_EQ(canonical_uri("//x//", PathEncoding::normalized), "/x/");
  EXPECT_EQ(canonical_uri("/a b", PathEncoding::normalized), "/a%20b");
}

TEST(S3Signer, CanonicalQuerySortsEncodedPairs) {
  EXPECT_EQ(canonical_query({{"prefix", "dir/\xC3\xBC x"},
                             {"b", "2"},
                             {"a", "x y"},
                             {"a", "1"},
                             {"list-type", "2"},
                             {"continuation-token", "1+/=="},
                             {"encoding-type", "url"},
                             {"delimiter", ""}}),
            "a=1&a=x%20y&b=2&continuation-token=1%2B%2F%3D%3D&delimiter=&encoding-type=url&"
            "list-type=2&prefix=dir%2F%C3%BC%20x");
  EXPECT_EQ(canonical_query({}), "");
  // Upper case sorts before lower case: byte order, not locale order.
  EXPECT_EQ(canonical_query({{"b", "1"}, {"B", "1"}, {"a", "1"}}), "B=1&a=1&b=1");
}

TEST(S3Signer, SignedHeaderNamesAreLowerCaseSortedAndUnique) {
  EXPECT_EQ(signed_header_names(
                {{"X-Amz-Date", "d"}, {"Host", "h"}, {"host", "h2"}, {"Content-Type", "t"}}),
            "content-type;host;x-amz-date");
}

TEST(S3Signer, HeaderValuesAreTrimmedCollapsedAndCombined) {
  SigningInput input;
  input.method = "GET";
  input.decoded_path = "/";
  input.headers = {{"Host", " example.com "},
                   {"My-Header", "  a \t  b  "},
                   {"my-header", "c"},
                   {"Empty", "   "}};
  input.payload_hash = "UNSIGNED-PAYLOAD";
  EXPECT_EQ(canonical_request(input, PathEncoding::s3),
            "GET\n/\n\nempty:\nhost:example.com\nmy-header:a b,c\n\nempty;host;my-header\n"
            "UNSIGNED-PAYLOAD");
}

// AWS's documented signing-key derivation example (IAM, 2012-02-15).
TEST(S3Signer, SigningKeyMatchesAwsExample) {
  const util::SystemTime date{sys_days{2012y / February / 15}};
  EXPECT_EQ(util::to_hex(
                signing_key("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", date, "us-east-1", "iam")),
            "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
}

TEST(S3Signer, StringToSignLayout) {
  const util::SystemTime now{sys_days{2015y / August / 30} + 12h + 36min};
  EXPECT_EQ(string_to_sign("", now, "eu-west-1", "s3"),
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/eu-west-1/s3/aws4_request\n"
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(credential_scope(now, "eu-west-1", "s3"), "20150830/eu-west-1/s3/aws4_request");
}

SigningInput simple_s3_get() {
  SigningInput input;
  input.method = "GET";
  input.decoded_path = "/bucket/key";
  input.query = {{"list-type", "2"}};
  input.headers = {{"Host", "s3.example.com"}, {"x-amz-content-sha256", "UNSIGNED-PAYLOAD"}};
  input.payload_hash = "UNSIGNED-PAYLOAD";
  return input;
}

TEST(S3Signer, SessionTokenIsAddedAndSigned) {
  const Credentials credentials{"AKID", "secret", "the/token+=="};
  const util::SystemTime now{sys_days{2024y / March / 1} + 10h};
  const HeaderList added =
      sign_request(simple_s3_get(), credentials, "us-west-2", "s3", now, PathEncoding::s3);
  ASSERT_EQ(added.size(), 3u);
  EXPECT_EQ(added[0], (std::pair<std::string, std::string>{"x-amz-date", "20240301T100000Z"}));
  EXPECT_EQ(added[1],
            (std::pair<std::string, std::string>{"x-amz-security-token", "the/token+=="}));
  EXPECT_EQ(added[2].first, "Authorization");
  EXPECT_NE(added[2].second.find("Credential=AKID/20240301/us-west-2/s3/aws4_request, "
                                 "SignedHeaders=host;x-amz-content-sha256;x-amz-date;"
                                 "x-amz-security-token, Signature="),
            std::string::npos)
      << added[2].second;

  // The token changes the signature: it is really part of what is signed.
  const HeaderList without = sign_request(simple_s3_get(), Credentials{"AKID", "secret", ""},
                                          "us-west-2", "s3", now, PathEncoding::s3);
  ASSERT_EQ(without.size(), 2u);
  EXPECT_NE(without.back().second.substr(without.back().second.find("Signature=")),
            added.back().second.substr(added.back().second.find("Signature=")));
}

TEST(S3Signer, ExistingAmzDateHeaderIsUsedInsteadOfNow) {
  SigningInput input = simple_s3_get();
  input.headers.emplace_back("X-Amz-Date", "20150830T123600Z");
  const Credentials credentials{"AKID", "secret", ""};
  const util::SystemTime header_time{sys_days{2015y / August / 30} + 12h + 36min};

  const HeaderList with_other_now =
      sign_request(input, credentials, "us-east-1", "s3", header_time + 48h, PathEncoding::s3);
  const HeaderList with_header_now =
      sign_request(input, credentials, "us-east-1", "s3", header_time, PathEncoding::s3);
  ASSERT_EQ(with_other_now.size(), 1u);
  EXPECT_EQ(with_other_now, with_header_now);
  EXPECT_NE(with_other_now[0].second.find("/20150830/"), std::string::npos);

  input.headers.back().second = "yesterday";
  EXPECT_THROW(sign_request(input, credentials, "us-east-1", "s3", header_time, PathEncoding::s3),
               gsync::Error);
}

TEST(S3Signer, SignatureDependsOnEveryInput) {
  const Credentials credentials{"AKID", "secret", ""};
  const util::SystemTime now{sys_days{2024y / March / 1}};
  const auto signature = [&](const SigningInput& input, std::string_view region,
                             util::SystemTime when) {
    return sign_request(input, credentials, region, "s3", when, PathEncoding::s3).back().second;
  };
  const std::string base = signature(simple_s3_get(), "us-east-1", now);
  SigningInput other_path = simple_s3_get();
  other_path.decoded_path = "/bucket/key2";
  SigningInput other_query = simple_s3_get();
  other_query.query.emplace_back("prefix", "a");
  SigningInput other_method = simple_s3_get();
  other_method.method = "HEAD";
  EXPECT_NE(signature(other_path, "us-east-1", now), base);
  EXPECT_NE(signature(other_query, "us-east-1", now), base);
  EXPECT_NE(signature(other_method, "us-east-1", now), base);
  EXPECT_NE(signature(simple_s3_get(), "us-west-2", now), base);
  EXPECT_NE(signature(simple_s3_get(), "us-east-1", now + 1s), base);
  EXPECT_EQ(signature(simple_s3_get(), "us-east-1", now), base);
}

}  // namespace
}  // namespace gsync::s3
