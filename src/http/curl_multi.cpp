#include "http/curl_multi.hpp"

#include "http/curl_global.hpp"
#include "util/error.hpp"

namespace gsync::http {

CurlMulti::CurlMulti() {
  ensure_curl_global_init();
  m_handle = curl_multi_init();
  if (m_handle == nullptr) {
    throw Fatal("libcurl could not create a multi handle (out of memory?)");
  }
}

CurlMulti::~CurlMulti() noexcept {
  if (m_handle != nullptr) {
    curl_multi_cleanup(m_handle);
  }
}

CurlMulti& CurlMulti::operator=(CurlMulti&& other) noexcept {
  if (this != &other) {
    if (m_handle != nullptr) {
      curl_multi_cleanup(m_handle);
    }
    m_handle = std::exchange(other.m_handle, nullptr);
  }
  return *this;
}

}  // namespace gsync::http
