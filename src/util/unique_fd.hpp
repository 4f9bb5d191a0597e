#pragma once

#include <unistd.h>
#include <utility>

namespace gsync::util {

// Owns one POSIX file descriptor. Move-only, so a descriptor is closed exactly once.
// The destructor ignores close() errors; code that must see them (a file just written,
// where NFS reports write-back failures at close) calls close_checked() first.
class UniqueFd {
 public:
  UniqueFd() noexcept = default;
  explicit UniqueFd(int fd) noexcept : m_fd(fd) {}
  ~UniqueFd() noexcept { reset(); }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  UniqueFd(UniqueFd&& other) noexcept : m_fd(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) {
      reset(other.release());
    }
    return *this;
  }

  int get() const noexcept { return m_fd; }
  explicit operator bool() const noexcept { return m_fd >= 0; }

  // Gives up ownership without closing.
  [[nodiscard]] int release() noexcept { return std::exchange(m_fd, -1); }

  void reset(int fd = -1) noexcept {
    const int old = std::exchange(m_fd, fd);
    if (old >= 0) {
      ::close(old);
    }
  }

  // Closes now and returns close()'s result (0, or -1 with errno set). Leaves the
  // object empty either way: after close() fails the descriptor is gone on Linux,
  // so retrying would close someone else's descriptor.
  int close_checked() noexcept {
    const int old = std::exchange(m_fd, -1);
    return old >= 0 ? ::close(old) : 0;
  }

 private:
  int m_fd = -1;
};

}  // namespace gsync::util
