#pragma once

// A small HTTP/1.1 server on 127.0.0.1 for testing the transfer engine against real sockets.
// Header-only because tests/unit builds only test_*.cpp files.
//
// One thread accepts, one thread serves each connection (keep-alive, Content-Length bodies).
// Every blocking wait polls a shared "stop" pipe as well, so the destructor ends all threads
// promptly even while a handler is delaying its answer or the client stopped reading.

#include <algorithm>
#include <arpa/inet.h>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <fcntl.h>
#include <functional>
#include <mutex>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <optional>
#include <poll.h>
#include <stdexcept>
#include <string>
#include <string_view>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <utility>
#include <vector>

namespace gsync::test {

struct LoopbackRequest {
  std::string method;
  std::string target;
  std::vector<std::pair<std::string, std::string>> headers;  // names as sent, in order
  std::string body;
  std::size_t connection = 0;  // 1-based index of the TCP connection that carried it

  // Values of every header with this name, compared case-insensitively.
  std::vector<std::string> header_values(std::string_view name) const {
    std::vector<std::string> values;
    for (const auto& [key, value] : headers) {
      if (std::equal(key.begin(), key.end(), name.begin(), name.end(), [](char a, char b) {
            return std::tolower(static_cast<unsigned char>(a)) ==
                   std::tolower(static_cast<unsigned char>(b));
          })) {
        values.push_back(value);
      }
    }
    return values;
  }
  std::optional<std::string> header(std::string_view name) const {
    auto values = header_values(name);
    if (values.empty()) {
      return std::nullopt;
    }
    return values.front();
  }
};

struct LoopbackResponse {
  using Headers = std::vector<std::pair<std::string, std::string>>;

  LoopbackResponse() = default;
  LoopbackResponse(int status, Headers headers, std::string body,
                   std::chrono::milliseconds delay = std::chrono::milliseconds(0))
      : status(status), headers(std::move(headers)), body(std::move(body)), delay(delay) {}

  int status = 200;
  Headers headers;  // Content-Length is added
  std::string body;
  // Misbehaviours: wait before answering; send only this many body bytes, then close.
  std::chrono::milliseconds delay{0};
  std::optional<std::size_t> close_after_body_bytes;
};

using LoopbackHandler = std::function<LoopbackResponse(const LoopbackRequest&)>;

class LoopbackHttpServer {
 public:
  explicit LoopbackHttpServer(LoopbackHandler handler) : m_handler(std::move(handler)) {
    if (::pipe2(m_stop_pipe, O_CLOEXEC) != 0) {
      throw std::runtime_error("loopback server: pipe failed");
    }
    m_listen_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;  // ephemeral
    socklen_t length = sizeof(address);
    if (m_listen_fd < 0 ||
        ::bind(m_listen_fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
        ::listen(m_listen_fd, 128) != 0 ||
        ::getsockname(m_listen_fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      close_fds();
      throw std::runtime_error("loopback server: cannot listen on 127.0.0.1");
    }
    m_port = ntohs(address.sin_port);
    m_accept_thread = std::thread([this] { accept_loop(); });
  }

  ~LoopbackHttpServer() noexcept {
    const char byte = 's';
    // The pipe stays readable from now on, which every poll below treats as "stop".
    [[maybe_unused]] auto written = ::write(m_stop_pipe[1], &byte, 1);
    m_accept_thread.join();
    // No new connection threads appear once the accept thread has ended.
    for (auto& thread : m_connection_threads) {
      thread.join();
    }
    close_fds();
  }

  LoopbackHttpServer(const LoopbackHttpServer&) = delete;
  LoopbackHttpServer& operator=(const LoopbackHttpServer&) = delete;

  std::uint16_t port() const noexcept { return m_port; }
  std::string url(std::string_view target) const {
    return "http://127.0.0.1:" + std::to_string(m_port) + std::string(target);
  }

  std::vector<LoopbackRequest> requests() const {
    std::lock_guard lock(m_mutex);
    return m_requests;
  }
  std::size_t connections_accepted() const noexcept { return m_connections.load(); }
  // Most requests ever received but not yet fully answered at one time.
  std::size_t max_in_flight() const noexcept { return m_max_in_flight.load(); }

 private:
  enum class Wait { ready, stop, timeout };

  // Waits for `events` on fd (or only for the timeout when fd < 0), or for the stop signal.
  Wait wait_for(int fd, short events, int timeout_ms = -1) const {
    pollfd fds[2] = {{m_stop_pipe[0], POLLIN, 0}, {fd, events, 0}};
    for (;;) {
      const int count = ::poll(fds, fd >= 0 ? 2 : 1, timeout_ms);
      if (count < 0 && errno == EINTR) {
        continue;
      }
      if (count < 0 || fds[0].revents != 0) {
        return Wait::stop;
      }
      return count == 0 ? Wait::timeout : Wait::ready;
    }
  }

  void accept_loop() {
    while (wait_for(m_listen_fd, POLLIN) == Wait::ready) {
      const int fd = ::accept4(m_listen_fd, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
      if (fd < 0) {
        continue;
      }
      // Without this, Nagle's algorithm holds a response's body behind its head until the
      // client's delayed ACK, adding 40 ms to every request.
      const int one = 1;
      ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
      const std::size_t index = ++m_connections;
      m_connection_threads.emplace_back([this, fd, index] {
        serve(fd, index);
        ::close(fd);
      });
    }
  }

  // Reads until `buffer` holds at least `size` bytes; false on EOF, error or stop.
  bool read_at_least(int fd, std::string& buffer, std::size_t size) const {
    char chunk[64 * 1024];
    while (buffer.size() < size) {
      if (wait_for(fd, POLLIN) != Wait::ready) {
        return false;
      }
      const ssize_t got = ::recv(fd, chunk, sizeof(chunk), MSG_DONTWAIT);
      if (got == 0 || (got < 0 && errno != EAGAIN && errno != EINTR)) {
        return false;
      }
      if (got > 0) {
        buffer.append(chunk, static_cast<std::size_t>(got));
      }
    }
    return true;
  }

  bool send_all(int fd, std::string_view data) const {
    while (!data.empty()) {
      if (wait_for(fd, POLLOUT) != Wait::ready) {
        return false;
      }
      const ssize_t sent = ::send(fd, data.data(), data.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
      if (sent < 0 && errno != EAGAIN && errno != EINTR) {
        return false;
      }
      if (sent > 0) {
        data.remove_prefix(static_cast<std::size_t>(sent));
      }
    }
    return true;
  }

  // Parses one request from the front of `buffer`, reading more as needed.
  bool read_request(int fd, std::string& buffer, LoopbackRequest& request) const {
    std::size_t head_end;
    while ((head_end = buffer.find("\r\n\r\n")) == std::string::npos) {
      if (!read_at_least(fd, buffer, buffer.size() + 1)) {
        return false;
      }
    }
    std::string_view head(buffer.data(), head_end + 2);
    auto next_line = [&head] {
      const auto end = head.find("\r\n");
      std::string_view line = head.substr(0, end);
      head.remove_prefix(end + 2);
      return line;
    };
    const std::string_view request_line = next_line();
    const auto first_space = request_line.find(' ');
    const auto second_space = request_line.find(' ', first_space + 1);
    request.method = std::string(request_line.substr(0, first_space));
    request.target =
        std::string(request_line.substr(first_space + 1, second_space - first_space - 1));
    std::size_t content_length = 0;
    while (!head.empty()) {
      const std::string_view line = next_line();
      const auto colon = line.find(':');
      std::string_view value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') {
        value.remove_prefix(1);
      }
      request.headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
    }
    if (auto length = request.header("Content-Length")) {
      content_length = std::stoul(*length);
    }
    const std::size_t total = head_end + 4 + content_length;
    if (!read_at_least(fd, buffer, total)) {
      return false;
    }
    request.body = buffer.substr(head_end + 4, content_length);
    buffer.erase(0, total);
    return true;
  }

  static std::string render_head(const LoopbackResponse& response) {
    std::string head = "HTTP/1.1 " + std::to_string(response.status) + " Status\r\n";
    for (const auto& [name, value] : response.headers) {
      head += name + ": " + value + "\r\n";
    }
    head += "Content-Length: " + std::to_string(response.body.size()) + "\r\n\r\n";
    return head;
  }

  void serve(int fd, std::size_t connection) {
    std::string buffer;
    for (;;) {
      LoopbackRequest request;
      request.connection = connection;
      if (!read_request(fd, buffer, request)) {
        return;
      }
      {
        std::lock_guard lock(m_mutex);
        m_requests.push_back(request);
        m_max_in_flight = std::max(m_max_in_flight.load(), ++m_in_flight);
      }
      const bool keep_going = respond(fd, request);
      {
        std::lock_guard lock(m_mutex);
        --m_in_flight;
      }
      if (!keep_going) {
        return;
      }
    }
  }

  // Returns whether the connection stays open for another request.
  bool respond(int fd, const LoopbackRequest& request) {
    LoopbackResponse response;
    try {
      response = m_handler(request);
    } catch (...) {
      response = LoopbackResponse(500, {}, "handler threw");
    }
    if (response.delay.count() > 0 &&
        wait_for(-1, 0, static_cast<int>(response.delay.count())) == Wait::stop) {
      return false;
    }
    std::string_view body = request.method == "HEAD" ? std::string_view() : response.body;
    if (response.close_after_body_bytes) {
      body = body.substr(0, std::min(body.size(), *response.close_after_body_bytes));
    }
    if (!send_all(fd, render_head(response)) || !send_all(fd, body)) {
      return false;
    }
    return !response.close_after_body_bytes;
  }

  void close_fds() noexcept {
    for (int fd : {m_listen_fd, m_stop_pipe[0], m_stop_pipe[1]}) {
      if (fd >= 0) {
        ::close(fd);
      }
    }
  }

  LoopbackHandler m_handler;
  int m_stop_pipe[2] = {-1, -1};
  int m_listen_fd = -1;
  std::uint16_t m_port = 0;
  std::thread m_accept_thread;
  std::vector<std::thread> m_connection_threads;  // touched by the accept thread only
  mutable std::mutex m_mutex;
  std::vector<LoopbackRequest> m_requests;
  std::size_t m_in_flight = 0;
  std::atomic<std::size_t> m_max_in_flight{0};
  std::atomic<std::size_t> m_connections{0};
};

}  // namespace gsync::test
