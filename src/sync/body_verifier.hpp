#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "http/http_message.hpp"
#include "util/crc.hpp"
#include "util/digest.hpp"

namespace gsync::sync {

// multipart_md5: checked part by part by a ranged download (see RangedDownload), never by
// a BodyVerifier itself.
enum class VerifyMethod { none, md5, crc32, crc32c, crc64nvme, sha1, sha256, multipart_md5 };

std::string_view verify_method_name(VerifyMethod method);

// What one object's bytes can be checked against, and why not when they cannot.
struct VerifyPlan {
  VerifyMethod method = VerifyMethod::none;
  std::string expected;  // the raw digest (CRCs big-endian, as S3 encodes them)
  std::string why_not;   // set when method is none
};

// The strongest check a GET response allows: a full-object x-amz-checksum-* first, then an
// ETag that is a plain MD5. Multipart ETags ("-N"), composite checksums and objects
// encrypted with KMS or a customer key (whose ETag is not an MD5) give none.
VerifyPlan plan_verification(const http::HttpResponse& response, std::string_view listed_etag);
// The same from an ETag alone (ranged parts carry no full-object checksum).
VerifyPlan plan_verification_for_etag(std::string_view etag);

// Hashes a body as it streams and compares at the end.
class BodyVerifier {
 public:
  explicit BodyVerifier(VerifyPlan plan);

  void update(std::string_view bytes);
  // Empty when the bytes match or nothing could be checked; otherwise what differs.
  std::optional<std::string> mismatch();

  VerifyMethod method() const { return m_plan.method; }
  bool verifies() const { return m_plan.method != VerifyMethod::none; }
  const std::string& why_not() const { return m_plan.why_not; }

 private:
  VerifyPlan m_plan;
  std::variant<std::monostate, util::Digest, util::Crc32, util::Crc32c, util::Crc64Nvme> m_state;
};

}  // namespace gsync::sync
