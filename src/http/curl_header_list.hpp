#pragma once

#include <string>
#include <utility>

#include <curl/curl.h>

namespace gsync::http {

// Owns a curl_slist of request headers. It must outlive the transfer that uses it,
// so each transfer slot keeps its own.
class CurlHeaderList {
 public:
  CurlHeaderList() noexcept = default;
  ~CurlHeaderList() noexcept { curl_slist_free_all(m_list); }
  CurlHeaderList(const CurlHeaderList&) = delete;
  CurlHeaderList& operator=(const CurlHeaderList&) = delete;
  CurlHeaderList(CurlHeaderList&& other) noexcept : m_list(std::exchange(other.m_list, nullptr)) {}
  CurlHeaderList& operator=(CurlHeaderList&& other) noexcept {
    if (this != &other) {
      curl_slist_free_all(m_list);
      m_list = std::exchange(other.m_list, nullptr);
    }
    return *this;
  }

  void append(const std::string& line);
  curl_slist* get() const noexcept { return m_list; }

 private:
  curl_slist* m_list = nullptr;
};

}  // namespace gsync::http
