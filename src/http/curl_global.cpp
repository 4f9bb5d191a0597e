#include "http/curl_global.hpp"

#include <mutex>

#include <curl/curl.h>

#include "util/error.hpp"

namespace gsync::http {

void ensure_curl_global_init() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
      throw Fatal("libcurl global initialisation failed");
    }
  });
}

}  // namespace gsync::http
