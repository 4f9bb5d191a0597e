#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <curl/curl.h>

namespace gsync::http {

enum class Method { get, head, put, post, delete_ };

std::string_view method_name(Method method);

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// Plain data: what to send. The URL's path must already be encoded exactly as it was signed.
struct HttpRequest {
  Method method = Method::get;
  std::string url;
  HeaderList headers;
  std::string body;
  // libcurl's receive buffer for this request; 0 keeps its 16 KiB default. Large bodies
  // want a bigger one (fewer write calls), small ones should not pay for it in memory.
  long receive_buffer_bytes = 0;
};

// Plain data: what came back. Successful (2xx) bodies are streamed to the transfer and are
// not kept here; `body` holds only error bodies (capped), which S3 fills with XML.
struct HttpResponse {
  long status = 0;
  HeaderList headers;  // names lower-cased, in arrival order
  std::string body;
  CURLcode transport_code = CURLE_OK;
  std::string transport_error;

  bool transport_failed() const noexcept { return transport_code != CURLE_OK; }
  bool succeeded() const noexcept { return !transport_failed() && status >= 200 && status < 300; }
  std::optional<std::string> header(std::string_view lower_case_name) const;
};

}  // namespace gsync::http
