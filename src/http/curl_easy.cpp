#include "http/curl_easy.hpp"

#include "http/curl_global.hpp"
#include "util/error.hpp"

namespace gsync::http {

CurlEasy::CurlEasy() {
  ensure_curl_global_init();
  m_handle = curl_easy_init();
  if (m_handle == nullptr) {
    throw Fatal("libcurl could not create a transfer handle (out of memory?)");
  }
}

CurlEasy::~CurlEasy() noexcept {
  if (m_handle != nullptr) {
    curl_easy_cleanup(m_handle);
  }
}

CurlEasy& CurlEasy::operator=(CurlEasy&& other) noexcept {
  if (this != &other) {
    if (m_handle != nullptr) {
      curl_easy_cleanup(m_handle);
    }
    m_handle = std::exchange(other.m_handle, nullptr);
  }
  return *this;
}

}  // namespace gsync::http
