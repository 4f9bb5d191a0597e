#include "s3/signer.hpp"

#include <algorithm>
#include <map>

#include "util/digest.hpp"
#include "util/error.hpp"
#include "util/hex.hpp"
#include "util/uri.hpp"

namespace gsync::s3 {
namespace {

constexpr std::string_view k_algorithm = "AWS4-HMAC-SHA256";

using HeaderList = std::vector<std::pair<std::string, std::string>>;

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
    return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  });
  return out;
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// SigV4 trims a value and collapses inner whitespace runs (even inside quotes) to one space.
std::string normalize_header_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  bool pending_space = false;
  for (const char c : value) {
    if (is_space(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) {
      out.push_back(' ');
      pending_space = false;
    }
    out.push_back(c);
  }
  return out;
}

// Lower-cased name -> values in the order sent; repeated names are joined by ','.
std::map<std::string, std::string> canonical_header_map(const HeaderList& headers) {
  std::map<std::string, std::string> out;
  for (const auto& [name, value] : headers) {
    auto [it, inserted] = out.try_emplace(lower(name), normalize_header_value(value));
    if (!inserted) {
      it->second += ',';
      it->second += normalize_header_value(value);
    }
  }
  return out;
}

const std::string* find_header(const HeaderList& headers, std::string_view lower_name) {
  for (const auto& [name, value] : headers) {
    if (lower(name) == lower_name) {
      return &value;
    }
  }
  return nullptr;
}

// RFC 3986 section 5.2.4, plus empty segments dropped (AWS collapses "//").
std::string remove_dot_segments(std::string_view path) {
  std::vector<std::string_view> kept;
  bool ends_as_directory = false;
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t slash = std::min(path.find('/', start), path.size());
    const std::string_view segment = path.substr(start, slash - start);
    ends_as_directory = segment.empty() || segment == "." || segment == "..";
    if (segment == "..") {
      if (!kept.empty()) {
        kept.pop_back();
      }
    } else if (!segment.empty() && segment != ".") {
      kept.push_back(segment);
    }
    start = slash + 1;
  }
  std::string out;
  for (const std::string_view segment : kept) {
    out += '/';
    out += segment;
  }
  if (out.empty() || ends_as_directory) {
    out += '/';
  }
  return out;
}

}  // namespace

std::string canonical_uri(std::string_view decoded_path, PathEncoding encoding) {
  if (encoding == PathEncoding::normalized) {
    return util::uri_encode(remove_dot_segments(decoded_path), true);
  }
  if (decoded_path.empty()) {
    return "/";
  }
  return util::uri_encode(decoded_path, true);
}

std::string canonical_query(const std::vector<std::pair<std::string, std::string>>& query) {
  std::vector<std::pair<std::string, std::string>> encoded;
  encoded.reserve(query.size());
  for (const auto& [name, value] : query) {
    encoded.emplace_back(util::uri_encode(name, false), util::uri_encode(value, false));
  }
  // Sorted on the encoded form, by name and then by value for repeated names.
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [name, value] : encoded) {
    if (!out.empty()) {
      out += '&';
    }
    out += name;
    out += '=';
    out += value;
  }
  return out;
}

std::string signed_header_names(const std::vector<std::pair<std::string, std::string>>& headers) {
  std::string out;
  for (const auto& entry : canonical_header_map(headers)) {
    if (!out.empty()) {
      out += ';';
    }
    out += entry.first;
  }
  return out;
}

std::string canonical_request(const SigningInput& input, PathEncoding encoding) {
  std::string out;
  out += input.method;
  out += '\n';
  out += canonical_uri(input.decoded_path, encoding);
  out += '\n';
  out += canonical_query(input.query);
  out += '\n';
  for (const auto& [name, value] : canonical_header_map(input.headers)) {
    out += name;
    out += ':';
    out += value;
    out += '\n';
  }
  out += '\n';
  out += signed_header_names(input.headers);
  out += '\n';
  out += input.payload_hash;
  return out;
}

std::string credential_scope(util::SystemTime now, std::string_view region,
                             std::string_view service) {
  std::string out = util::format_date_stamp(now);
  out += '/';
  out += region;
  out += '/';
  out += service;
  out += "/aws4_request";
  return out;
}

std::string string_to_sign(std::string_view canonical_request, util::SystemTime now,
                           std::string_view region, std::string_view service) {
  std::string out(k_algorithm);
  out += '\n';
  out += util::format_amz_date(now);
  out += '\n';
  out += credential_scope(now, region, service);
  out += '\n';
  out += util::sha256_hex(canonical_request);
  return out;
}

std::vector<unsigned char> signing_key(std::string_view secret_access_key, util::SystemTime now,
                                       std::string_view region, std::string_view service) {
  const std::string secret = "AWS4" + std::string(secret_access_key);
  const auto date_key = util::hmac_sha256(secret, util::format_date_stamp(now));
  const auto region_key = util::hmac_sha256(date_key, region);
  const auto service_key = util::hmac_sha256(region_key, service);
  return util::hmac_sha256(service_key, "aws4_request");
}

std::vector<std::pair<std::string, std::string>> sign_request(
    const SigningInput& input, const Credentials& creds, std::string_view region,
    std::string_view service, util::SystemTime now, PathEncoding encoding) {
  HeaderList added;
  util::SystemTime signing_time = now;
  if (const std::string* date = find_header(input.headers, "x-amz-date")) {
    const auto parsed = util::parse_amz_date(normalize_header_value(*date));
    if (!parsed) {
      throw Error("X-Amz-Date header is not a valid date: " + *date);
    }
    signing_time = *parsed;
  } else {
    added.emplace_back("x-amz-date", util::format_amz_date(now));
  }
  if (!creds.session_token.empty() &&
      find_header(input.headers, "x-amz-security-token") == nullptr) {
    added.emplace_back("x-amz-security-token", creds.session_token);
  }

  SigningInput signed_input = input;
  signed_input.headers.insert(signed_input.headers.end(), added.begin(), added.end());

  const std::string request = canonical_request(signed_input, encoding);
  const std::string to_sign = string_to_sign(request, signing_time, region, service);
  const auto key = signing_key(creds.secret_access_key, signing_time, region, service);
  const std::string signature = util::to_hex(util::hmac_sha256(key, to_sign));

  std::string authorization(k_algorithm);
  authorization += " Credential=";
  authorization += creds.access_key_id;
  authorization += '/';
  authorization += credential_scope(signing_time, region, service);
  authorization += ", SignedHeaders=";
  authorization += signed_header_names(signed_input.headers);
  authorization += ", Signature=";
  authorization += signature;
  added.emplace_back("Authorization", std::move(authorization));
  return added;
}

}  // namespace gsync::s3
