#include "sync/body_verifier.hpp"

#include <array>
#include <cstdint>
#include <utility>

#include <fmt/format.h>

#include "sync/remote_object.hpp"
#include "util/base64.hpp"
#include "util/hex.hpp"

namespace gsync::sync {
namespace {

struct ChecksumHeader {
  const char* name;
  VerifyMethod method;
  std::size_t bytes;
};

// In the order S3 prefers them; an object normally carries one.
constexpr std::array<ChecksumHeader, 5> k_checksum_headers{{
    {"x-amz-checksum-crc64nvme", VerifyMethod::crc64nvme, 8},
    {"x-amz-checksum-crc32c", VerifyMethod::crc32c, 4},
    {"x-amz-checksum-crc32", VerifyMethod::crc32, 4},
    {"x-amz-checksum-sha256", VerifyMethod::sha256, 32},
    {"x-amz-checksum-sha1", VerifyMethod::sha1, 20},
}};

template <typename Word>
std::string big_endian(Word value) {
  std::string out(sizeof(Word), '\0');
  for (std::size_t i = 0; i < sizeof(Word); ++i) {
    out[sizeof(Word) - 1 - i] = static_cast<char>(value & 0xffu);
    value = static_cast<Word>(value >> 8);
  }
  return out;
}

VerifyPlan none(std::string why) {
  VerifyPlan plan;
  plan.why_not = std::move(why);
  return plan;
}

}  // namespace

std::string_view verify_method_name(VerifyMethod method) {
  switch (method) {
    case VerifyMethod::none:
      return "none";
    case VerifyMethod::md5:
      return "MD5";
    case VerifyMethod::crc32:
      return "CRC32";
    case VerifyMethod::crc32c:
      return "CRC32C";
    case VerifyMethod::crc64nvme:
      return "CRC64NVME";
    case VerifyMethod::sha1:
      return "SHA-1";
    case VerifyMethod::sha256:
      return "SHA-256";
    case VerifyMethod::multipart_md5:
      return "multipart MD5";
  }
  return "?";
}

VerifyPlan plan_verification_for_etag(std::string_view etag) {
  etag = unquoted_etag(etag);
  if (etag.find('-') != std::string_view::npos) {
    return none("multipart ETag");
  }
  if (etag.size() == 32) {
    if (auto digest = util::from_hex(etag)) {
      return VerifyPlan{VerifyMethod::md5, std::move(*digest), {}};
    }
  }
  return none("ETag is not an MD5");
}

VerifyPlan plan_verification(const http::HttpResponse& response, std::string_view listed_etag) {
  // A composite checksum (of part checksums) says nothing checkable about the whole body.
  const auto type = response.header("x-amz-checksum-type");
  if (!type || *type != "COMPOSITE") {
    for (const auto& header : k_checksum_headers) {
      const auto value = response.header(header.name);
      if (!value || value->find('-') != std::string::npos) {
        continue;
      }
      if (auto raw = util::base64_decode(*value); raw && raw->size() == header.bytes) {
        return VerifyPlan{header.method, std::move(*raw), {}};
      }
    }
  }
  const auto encryption = response.header("x-amz-server-side-encryption");
  if ((encryption && encryption->rfind("aws:kms", 0) == 0) ||
      response.header("x-amz-server-side-encryption-customer-algorithm")) {
    return none("encrypted with a KMS or customer key, so its ETag is not an MD5");
  }
  const auto etag = response.header("etag");
  return plan_verification_for_etag(etag ? std::string_view(*etag) : listed_etag);
}

BodyVerifier::BodyVerifier(VerifyPlan plan) : m_plan(std::move(plan)) {
  switch (m_plan.method) {
    case VerifyMethod::none:
    case VerifyMethod::multipart_md5:
      break;
    case VerifyMethod::md5:
      m_state.emplace<util::Digest>(util::DigestKind::md5);
      break;
    case VerifyMethod::sha1:
      m_state.emplace<util::Digest>(util::DigestKind::sha1);
      break;
    case VerifyMethod::sha256:
      m_state.emplace<util::Digest>(util::DigestKind::sha256);
      break;
    case VerifyMethod::crc32:
      m_state.emplace<util::Crc32>();
      break;
    case VerifyMethod::crc32c:
      m_state.emplace<util::Crc32c>();
      break;
    case VerifyMethod::crc64nvme:
      m_state.emplace<util::Crc64Nvme>();
      break;
  }
}

void BodyVerifier::update(std::string_view bytes) {
  std::visit(
      [bytes](auto& state) {
        if constexpr (!std::is_same_v<std::decay_t<decltype(state)>, std::monostate>) {
          state.update(bytes);
        }
      },
      m_state);
}

std::optional<std::string> BodyVerifier::mismatch() {
  std::string actual;
  if (auto* digest = std::get_if<util::Digest>(&m_state)) {
    const auto bytes = digest->finish();
    actual.assign(bytes.begin(), bytes.end());
  } else if (auto* crc = std::get_if<util::Crc32>(&m_state)) {
    actual = big_endian(crc->value());
  } else if (auto* crc32c = std::get_if<util::Crc32c>(&m_state)) {
    actual = big_endian(crc32c->value());
  } else if (auto* crc64 = std::get_if<util::Crc64Nvme>(&m_state)) {
    actual = big_endian(crc64->value());
  } else {
    return std::nullopt;
  }
  if (actual == m_plan.expected) {
    return std::nullopt;
  }
  const bool as_hex = m_plan.method == VerifyMethod::md5;
  const auto show = [as_hex](const std::string& raw) {
    return as_hex ? util::to_hex(raw) : util::base64_encode(raw);
  };
  return fmt::format("{} mismatch: expected {}, got {} (corrupted in transit?)",
                     verify_method_name(m_plan.method), show(m_plan.expected), show(actual));
}

}  // namespace gsync::sync
