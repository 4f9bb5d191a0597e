#pragma once

#include <utility>

#include <curl/curl.h>

namespace gsync::http {

// Owns a CURLM multi handle. Easy handles added to it must be removed before it dies;
// TransferEngine guarantees that.
class CurlMulti {
 public:
  CurlMulti();
  ~CurlMulti() noexcept;
  CurlMulti(const CurlMulti&) = delete;
  CurlMulti& operator=(const CurlMulti&) = delete;
  CurlMulti(CurlMulti&& other) noexcept : m_handle(std::exchange(other.m_handle, nullptr)) {}
  CurlMulti& operator=(CurlMulti&& other) noexcept;

  CURLM* get() const noexcept { return m_handle; }

 private:
  CURLM* m_handle;
};

}  // namespace gsync::http
