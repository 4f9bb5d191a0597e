#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

// OpenSSL's context type, declared here so callers need not include OpenSSL headers.
struct evp_md_ctx_st;

namespace gsync::util {

enum class DigestKind { md5, sha1, sha256 };

// Incremental hash over OpenSSL EVP, for bodies that arrive in pieces (downloads are
// verified while they stream). Move-only because it owns an EVP_MD_CTX.
class Digest {
 public:
  explicit Digest(DigestKind kind);
  Digest(const Digest&) = delete;
  Digest& operator=(const Digest&) = delete;
  Digest(Digest&&) noexcept = default;
  Digest& operator=(Digest&&) noexcept = default;
  ~Digest() = default;

  void update(std::string_view data);
  void update(std::span<const unsigned char> data);
  // Returns the digest and starts a fresh one of the same kind, so one object can hash
  // several bodies in turn. Throws std::logic_error on a moved-from Digest.
  std::vector<unsigned char> finish();
  std::string finish_hex();

 private:
  struct ContextDeleter {
    void operator()(evp_md_ctx_st* context) const noexcept;
  };
  using ContextHandle = std::unique_ptr<evp_md_ctx_st, ContextDeleter>;

  void restart();
  evp_md_ctx_st* checked_context() const;

  DigestKind m_kind;
  ContextHandle m_context;
};

std::string sha256_hex(std::string_view data);
std::string md5_hex(std::string_view data);

std::vector<unsigned char> hmac_sha256(std::span<const unsigned char> key, std::string_view data);
std::vector<unsigned char> hmac_sha256(std::string_view key, std::string_view data);

}  // namespace gsync::util
