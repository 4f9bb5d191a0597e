#pragma once

#include <utility>

#include <curl/curl.h>

namespace gsync::http {

// Owns one CURL easy handle. Move-only: a handle belongs to exactly one transfer slot.
class CurlEasy {
 public:
  CurlEasy();
  ~CurlEasy() noexcept;
  CurlEasy(const CurlEasy&) = delete;
  CurlEasy& operator=(const CurlEasy&) = delete;
  CurlEasy(CurlEasy&& other) noexcept : m_handle(std::exchange(other.m_handle, nullptr)) {}
  CurlEasy& operator=(CurlEasy&& other) noexcept;

  CURL* get() const noexcept { return m_handle; }

  // Clears every option but keeps the connection cache and DNS cache, which is what
  // makes reusing a handle cheaper than creating a new one.
  void reset() noexcept { curl_easy_reset(m_handle); }

 private:
  CURL* m_handle;
};

}  // namespace gsync::http
