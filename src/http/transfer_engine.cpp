#include "http/transfer_engine.hpp"

#include <algorithm>
#include <cctype>
#include <strings.h>

#include "http/curl_header_list.hpp"
#include "util/error.hpp"

namespace gsync::http {

namespace {

// Error bodies are small XML documents; a misbehaving server must not make us buffer more.
constexpr std::size_t k_max_error_body_bytes = 1 << 20;
constexpr int k_idle_poll_ms = 1000;

std::string trim(std::string_view text) {
  auto begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) {
    return {};
  }
  auto end = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(begin, end - begin + 1));
}

}  // namespace

struct TransferEngine::ActiveTransfer {
  explicit ActiveTransfer(CurlEasy handle) : easy(std::move(handle)) {}

  CurlEasy easy;
  CurlHeaderList request_headers;
  HttpRequest request;
  std::unique_ptr<Transfer> transfer;
  HttpResponse response;
  bool status_known = false;
  bool body_is_success = false;
  bool aborted_by_transfer = false;
};

TransferEngine::TransferEngine(EngineOptions options) : m_options(std::move(options)) {
  m_options.max_concurrent = std::max<std::size_t>(1, m_options.max_concurrent);
  const auto limit = static_cast<long>(m_options.max_concurrent);
  // Keep one cached connection per slot so keep-alive survives between requests.
  curl_multi_setopt(m_multi.get(), CURLMOPT_MAXCONNECTS, limit);
  curl_multi_setopt(m_multi.get(), CURLMOPT_MAX_HOST_CONNECTIONS, limit);
}

TransferEngine::~TransferEngine() noexcept {
  abandon_all();
}

void TransferEngine::submit(std::unique_ptr<Transfer> transfer) {
  enqueue(std::move(transfer));
}

void TransferEngine::enqueue(std::unique_ptr<Transfer> transfer) {
  if (transfer->urgent()) {
    m_ready.push_front(std::move(transfer));
  } else {
    m_ready.push_back(std::move(transfer));
  }
}

void TransferEngine::wake() noexcept {
  curl_multi_wakeup(m_multi.get());
}

void TransferEngine::run() {
  while (!m_stopping && (!m_ready.empty() || !m_delayed.empty() || !m_active.empty())) {
    promote_due_transfers();
    start_ready_transfers();

    int still_running = 0;
    CURLMcode code = curl_multi_perform(m_multi.get(), &still_running);
    if (code != CURLM_OK) {
      throw Fatal(std::string("libcurl multi error: ") + curl_multi_strerror(code));
    }
    if (finish_completed_transfers()) {
      if (m_idle_hook) {
        m_idle_hook();
      }
      continue;  // start the next transfers before waiting on sockets
    }
    if (m_stopping) {
      break;
    }
    code = curl_multi_poll(m_multi.get(), nullptr, 0, poll_timeout_ms(), nullptr);
    if (code != CURLM_OK) {
      throw Fatal(std::string("libcurl multi poll error: ") + curl_multi_strerror(code));
    }
  }
  if (m_stopping) {
    abandon_all();
  }
}

void TransferEngine::promote_due_transfers() {
  const auto now = std::chrono::steady_clock::now();
  while (!m_delayed.empty() && m_delayed.top().due <= now) {
    // priority_queue::top is const; the element is popped right after, so moving is safe.
    auto& top = const_cast<DelayedTransfer&>(m_delayed.top());
    std::unique_ptr<Transfer> due = std::move(top.transfer);
    m_delayed.pop();
    enqueue(std::move(due));
  }
}

int TransferEngine::poll_timeout_ms() const {
  if (m_delayed.empty()) {
    return k_idle_poll_ms;
  }
  const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(
      m_delayed.top().due - std::chrono::steady_clock::now());
  return static_cast<int>(std::clamp<long long>(wait.count(), 0, k_idle_poll_ms));
}

void TransferEngine::start_ready_transfers() {
  while (!m_ready.empty() && m_active.size() < m_options.max_concurrent && !m_stopping) {
    auto transfer = std::move(m_ready.front());
    m_ready.pop_front();
    if (transfer->cancelled()) {
      continue;
    }
    start(std::move(transfer));
  }
}

void TransferEngine::start(std::unique_ptr<Transfer> transfer) {
  std::unique_ptr<ActiveTransfer> active;
  if (m_idle_handles.empty()) {
    active = std::make_unique<ActiveTransfer>(CurlEasy());
  } else {
    // A pooled handle keeps its connection; only its options are cleared.
    active = std::make_unique<ActiveTransfer>(std::move(m_idle_handles.back()));
    m_idle_handles.pop_back();
    active->easy.reset();
  }
  active->transfer = std::move(transfer);
  active->request = active->transfer->make_request();

  CURL* easy = active->easy.get();
  const HttpRequest& request = active->request;
  curl_easy_setopt(easy, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1);
  curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
  if (request.receive_buffer_bytes > 0) {
    curl_easy_setopt(easy, CURLOPT_BUFFERSIZE, request.receive_buffer_bytes);
  }
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(m_options.connect_timeout.count() * 1000));
  curl_easy_setopt(easy, CURLOPT_LOW_SPEED_LIMIT, m_options.low_speed_bytes_per_second);
  curl_easy_setopt(easy, CURLOPT_LOW_SPEED_TIME,
                   static_cast<long>(m_options.low_speed_time.count()));
  if (m_options.ca_bundle) {
    curl_easy_setopt(easy, CURLOPT_CAINFO, m_options.ca_bundle->c_str());
  }
  switch (request.method) {
    case Method::get:
      curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
      break;
    case Method::head:
      curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
      break;
    case Method::put:
    case Method::post:
    case Method::delete_:
      curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST,
                       std::string(method_name(request.method)).c_str());
      curl_easy_setopt(easy, CURLOPT_POSTFIELDS, request.body.data());
      curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE,
                       static_cast<curl_off_t>(request.body.size()));
      break;
  }
  for (const auto& [name, value] : request.headers) {
    // "Name:" would tell libcurl to drop the header; "Name;" sends it with an empty value,
    // which a signed header needs.
    active->request_headers.append(value.empty() ? name + ";" : name + ": " + value);
  }
  // libcurl would add these on its own; S3 signs what it receives, so send none we didn't sign.
  active->request_headers.append("Expect:");
  const bool has_content_type =
      std::any_of(request.headers.begin(), request.headers.end(), [](const auto& header) {
        return header.first.size() == 12 &&
               strncasecmp(header.first.c_str(), "content-type", 12) == 0;
      });
  if (!has_content_type) {
    active->request_headers.append("Content-Type:");
  }
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, active->request_headers.get());
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &TransferEngine::write_callback);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, active.get());
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &TransferEngine::header_callback);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, active.get());
  curl_easy_setopt(easy, CURLOPT_PRIVATE, active.get());

  const CURLMcode code = curl_multi_add_handle(m_multi.get(), easy);
  if (code != CURLM_OK) {
    throw Fatal(std::string("libcurl could not start a transfer: ") + curl_multi_strerror(code));
  }
  m_active.push_back(std::move(active));
}

bool TransferEngine::finish_completed_transfers() {
  bool any = false;
  int left = 0;
  while (CURLMsg* message = curl_multi_info_read(m_multi.get(), &left)) {
    if (message->msg != CURLMSG_DONE) {
      continue;
    }
    any = true;
    CURL* easy = message->easy_handle;
    const CURLcode result = message->data.result;
    ActiveTransfer* raw = nullptr;
    curl_easy_getinfo(easy, CURLINFO_PRIVATE, reinterpret_cast<char**>(&raw));
    curl_multi_remove_handle(m_multi.get(), easy);

    auto found = std::find_if(m_active.begin(), m_active.end(),
                              [raw](const auto& active) { return active.get() == raw; });
    std::unique_ptr<ActiveTransfer> active = std::move(*found);
    m_active.erase(found);

    HttpResponse response = std::move(active->response);
    response.transport_code = result;
    if (result != CURLE_OK) {
      response.transport_error = curl_easy_strerror(result);
    }
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &response.status);
    m_idle_handles.push_back(std::move(active->easy));

    std::unique_ptr<Transfer> transfer = std::move(active->transfer);
    active.reset();  // frees the header list before the callback may start new work
    if (auto delay = transfer->on_complete(std::move(response))) {
      m_delayed.push({std::chrono::steady_clock::now() + *delay, std::move(transfer)});
    }
  }
  return any;
}

std::size_t TransferEngine::write_callback(char* data, std::size_t size, std::size_t count,
                                           void* user) {
  auto* active = static_cast<ActiveTransfer*>(user);
  const std::size_t bytes = size * count;
  if (!active->status_known) {
    curl_easy_getinfo(active->easy.get(), CURLINFO_RESPONSE_CODE, &active->response.status);
    active->body_is_success = active->response.status >= 200 && active->response.status < 300;
    active->status_known = true;
    if (active->body_is_success) {
      active->transfer->on_response_start(active->response);
    }
  }
  if (active->body_is_success) {
    if (!active->transfer->on_body(std::string_view(data, bytes))) {
      active->aborted_by_transfer = true;
      return CURL_WRITEFUNC_ERROR;
    }
    return bytes;
  }
  std::string& body = active->response.body;
  const std::size_t room = k_max_error_body_bytes - std::min(k_max_error_body_bytes, body.size());
  body.append(data, std::min(room, bytes));
  return bytes;
}

std::size_t TransferEngine::header_callback(char* data, std::size_t size, std::size_t count,
                                            void* user) {
  auto* active = static_cast<ActiveTransfer*>(user);
  const std::size_t bytes = size * count;
  std::string_view line(data, bytes);
  if (line.starts_with("HTTP/")) {
    // A new status line (after 100 Continue, say) starts a fresh header block.
    active->response.headers.clear();
    return bytes;
  }
  const auto colon = line.find(':');
  if (colon == std::string_view::npos) {
    return bytes;
  }
  std::string name(line.substr(0, colon));
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  active->response.headers.emplace_back(std::move(name), trim(line.substr(colon + 1)));
  return bytes;
}

void TransferEngine::abandon_all() noexcept {
  for (auto& active : m_active) {
    curl_multi_remove_handle(m_multi.get(), active->easy.get());
    HttpResponse response;
    response.transport_code = CURLE_ABORTED_BY_CALLBACK;
    response.transport_error = "abandoned: the run is stopping";
    try {
      active->transfer->on_complete(std::move(response));
    } catch (...) {
      // Cleanup of an abandoned transfer must not stop the others' cleanup.
    }
  }
  m_active.clear();
}

}  // namespace gsync::http
