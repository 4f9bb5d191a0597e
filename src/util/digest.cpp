#include "util/digest.hpp"

#include <stdexcept>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "util/error.hpp"
#include "util/hex.hpp"

namespace gsync::util {
namespace {

const EVP_MD* algorithm(DigestKind kind) {
  switch (kind) {
    case DigestKind::md5:
      return EVP_md5();
    case DigestKind::sha1:
      return EVP_sha1();
    case DigestKind::sha256:
      return EVP_sha256();
  }
  throw std::logic_error("unknown DigestKind");
}

}  // namespace

void Digest::ContextDeleter::operator()(evp_md_ctx_st* context) const noexcept {
  EVP_MD_CTX_free(context);
}

Digest::Digest(DigestKind kind) : m_kind(kind), m_context(EVP_MD_CTX_new()) {
  if (!m_context) {
    throw Error("OpenSSL could not allocate a digest context");
  }
  restart();
}

void Digest::restart() {
  if (EVP_DigestInit_ex(m_context.get(), algorithm(m_kind), nullptr) != 1) {
    throw Error("OpenSSL could not start a digest");
  }
}

evp_md_ctx_st* Digest::checked_context() const {
  if (!m_context) {
    throw std::logic_error("use of a moved-from Digest");
  }
  return m_context.get();
}

void Digest::update(std::string_view data) {
  if (EVP_DigestUpdate(checked_context(), data.data(), data.size()) != 1) {
    throw Error("OpenSSL digest update failed");
  }
}

void Digest::update(std::span<const unsigned char> data) {
  if (EVP_DigestUpdate(checked_context(), data.data(), data.size()) != 1) {
    throw Error("OpenSSL digest update failed");
  }
}

std::vector<unsigned char> Digest::finish() {
  std::vector<unsigned char> out(EVP_MAX_MD_SIZE);
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(checked_context(), out.data(), &length) != 1) {
    throw Error("OpenSSL digest finish failed");
  }
  out.resize(length);
  restart();
  return out;
}

std::string Digest::finish_hex() {
  return to_hex(finish());
}

std::string sha256_hex(std::string_view data) {
  Digest digest(DigestKind::sha256);
  digest.update(data);
  return digest.finish_hex();
}

std::string md5_hex(std::string_view data) {
  Digest digest(DigestKind::md5);
  digest.update(data);
  return digest.finish_hex();
}

std::vector<unsigned char> hmac_sha256(std::span<const unsigned char> key, std::string_view data) {
  std::vector<unsigned char> out(EVP_MAX_MD_SIZE);
  unsigned int length = 0;
  // HMAC() wants a non-null key pointer even for an empty key.
  static const unsigned char k_empty = 0;
  const unsigned char* key_bytes = key.empty() ? &k_empty : key.data();
  if (HMAC(EVP_sha256(), key_bytes, static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data(),
           &length) == nullptr) {
    throw Error("OpenSSL HMAC-SHA256 failed");
  }
  out.resize(length);
  return out;
}

std::vector<unsigned char> hmac_sha256(std::string_view key, std::string_view data) {
  return hmac_sha256(std::span<const unsigned char>(
                         reinterpret_cast<const unsigned char*>(key.data()), key.size()),
                     data);
}

}  // namespace gsync::util
