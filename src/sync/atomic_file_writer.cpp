#include "sync/atomic_file_writer.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <random>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>
#include <utility>

#include "sync/key_path.hpp"
#include "util/error.hpp"
#include "util/human_units.hpp"
#include "util/printable.hpp"

namespace gsync::sync {
namespace {

constexpr std::string_view k_temp_suffix = ".gsync-tmp";
constexpr std::string_view k_partial_suffix = ".gsync-part";
constexpr std::size_t k_random_digits = 8;
// ".", NAME, ".", 8 hex digits, ".gsync-tmp" must fit in NAME_MAX (255) bytes.
constexpr std::size_t k_max_name_in_temp = 255 - 1 - 1 - k_random_digits - k_temp_suffix.size();
constexpr int k_temp_name_attempts = 16;

bool is_lower_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

std::string random_hex_digits() {
  static thread_local std::mt19937 generator{std::random_device{}()};
  std::array<char, k_random_digits + 1> text{};
  std::snprintf(text.data(), text.size(), "%08x", static_cast<unsigned>(generator()));
  return std::string(text.data(), k_random_digits);
}

// Long names are shortened in the temp name only, cut at a UTF-8 character boundary.
std::string_view name_for_temp(std::string_view file_name) {
  if (file_name.size() <= k_max_name_in_temp) {
    return file_name;
  }
  std::size_t length = k_max_name_in_temp;
  while (length > 0 && (static_cast<unsigned char>(file_name[length]) & 0xC0) == 0x80) {
    --length;
  }
  return file_name.substr(0, length);
}

constexpr std::size_t k_max_name_in_partial = 255 - 1 - k_partial_suffix.size();

std::string partial_name_for(std::string_view file_name) {
  std::size_t length = std::min(file_name.size(), k_max_name_in_partial);
  while (length > 0 && length < file_name.size() &&
         (static_cast<unsigned char>(file_name[length]) & 0xC0) == 0x80) {
    --length;
  }
  return "." + std::string(file_name.substr(0, length)) + std::string(k_partial_suffix);
}

timespec to_timespec(util::SystemTime t) {
  const auto since_epoch = t.time_since_epoch();
  const auto seconds = std::chrono::floor<std::chrono::seconds>(since_epoch);
  const auto nanoseconds =
      std::chrono::duration_cast<std::chrono::nanoseconds>(since_epoch - seconds);
  timespec result{};
  result.tv_sec = static_cast<time_t>(seconds.count());
  result.tv_nsec = static_cast<long>(nanoseconds.count());
  return result;
}

}  // namespace

namespace detail {

int link_then_unlink(int folder_fd, const char* temp_name, const char* file_name) noexcept {
  if (::linkat(folder_fd, temp_name, folder_fd, file_name, 0) != 0) {
    return errno;
  }
  // The file is in place; a temp name that fails to go away is only a leftover link.
  ::unlinkat(folder_fd, temp_name, 0);
  return 0;
}

}  // namespace detail

bool is_partial_file_name(std::string_view file_name) {
  return file_name.size() > 1 + k_partial_suffix.size() && file_name.front() == '.' &&
         file_name.ends_with(k_partial_suffix);
}

bool remove_if_abandoned(int folder_fd, const std::string& file_name) noexcept {
  util::UniqueFd file(
      ::openat(folder_fd, file_name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  if (!file) {
    return false;
  }
  // A live writer holds an exclusive flock for the file's whole life.
  if (::flock(file.get(), LOCK_EX | LOCK_NB) != 0) {
    return false;
  }
  struct stat by_fd {};
  struct stat by_name {};
  if (::fstat(file.get(), &by_fd) != 0 || !S_ISREG(by_fd.st_mode) ||
      ::fstatat(folder_fd, file_name.c_str(), &by_name, AT_SYMLINK_NOFOLLOW) != 0 ||
      by_fd.st_ino != by_name.st_ino || by_fd.st_dev != by_name.st_dev) {
    return false;
  }
  return ::unlinkat(folder_fd, file_name.c_str(), 0) == 0;
}

bool is_temp_file_name(std::string_view file_name) {
  // "." + at least one byte of name + "." + 8 hex + ".gsync-tmp"
  constexpr std::size_t tail = 1 + k_random_digits + k_temp_suffix.size();
  if (file_name.size() < 2 + tail || file_name.front() != '.' ||
      !file_name.ends_with(k_temp_suffix)) {
    return false;
  }
  const std::size_t dot = file_name.size() - tail;
  if (file_name[dot] != '.') {
    return false;
  }
  for (std::size_t i = dot + 1; i < dot + 1 + k_random_digits; ++i) {
    if (!is_lower_hex(file_name[i])) {
      return false;
    }
  }
  return true;
}

AtomicFileWriter::AtomicFileWriter(const std::filesystem::path& data_root,
                                   std::filesystem::path relative_path)
    : m_data_root(data_root), m_relative_path(std::move(relative_path)) {
  const std::string shown = util::printable(m_relative_path.string());
  if (m_relative_path.empty() || m_relative_path.has_root_path()) {
    throw Error("refusing to write '" + shown + "': not a relative path");
  }
  for (const auto& component : m_relative_path) {
    if (std::string problem = segment_problem(component.native()); !problem.empty()) {
      throw Error("refusing to write '" + shown + "': " + problem);
    }
  }
  m_file_name = m_relative_path.filename().native();
}

AtomicFileWriter::AtomicFileWriter(FolderHandleCache& folders, std::filesystem::path relative_path)
    : AtomicFileWriter(folders.data_root(), std::move(relative_path)) {
  m_folders = &folders;
}

std::optional<AtomicFileWriter> AtomicFileWriter::open_partial(
    FolderHandleCache& folders, std::filesystem::path relative_path) {
  AtomicFileWriter writer(folders, std::move(relative_path));
  writer.m_folder = writer.open_destination_folder();
  const std::string name = partial_name_for(writer.m_file_name);
  // A cleaner (another run's end) may remove the name between our open and our lock: then
  // the descriptor is of an unlinked file, and we open again.
  for (int attempt = 0; attempt < 3; ++attempt) {
    util::UniqueFd file(::openat(writer.folder_fd(), name.c_str(),
                                 O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0666));
    if (!file) {
      writer.fail("cannot create partial file for", errno);
    }
    if (::flock(file.get(), LOCK_EX | LOCK_NB) != 0) {
      if (errno == EWOULDBLOCK) {
        return std::nullopt;
      }
      writer.fail("cannot lock partial file for", errno);
    }
    struct stat by_fd {};
    struct stat by_name {};
    if (::fstat(file.get(), &by_fd) != 0) {
      writer.fail("cannot inspect partial file for", errno);
    }
    if (!S_ISREG(by_fd.st_mode)) {
      writer.fail("partial file is not a regular file for", EINVAL);
    }
    if (::fstatat(writer.folder_fd(), name.c_str(), &by_name, AT_SYMLINK_NOFOLLOW) == 0 &&
        by_name.st_ino == by_fd.st_ino && by_name.st_dev == by_fd.st_dev) {
      writer.m_file = std::move(file);
      writer.m_temp_name = name;
      writer.m_state = State::writing;
      writer.m_partial = true;
      writer.m_keep_partial = true;
      return writer;
    }
  }
  writer.fail("cannot hold partial file for", EAGAIN);
}

void AtomicFileWriter::write_journal_at(std::uint64_t offset, std::string_view bytes) {
  const std::uint64_t before = m_bytes_written;
  write_at(offset, bytes);
  m_bytes_written = before;
}

void AtomicFileWriter::truncate(std::uint64_t size) {
  if (m_state != State::writing) {
    throw Error("nothing to truncate for " + util::printable(m_relative_path.string()));
  }
  if (::ftruncate(m_file.get(), static_cast<off_t>(size)) != 0) {
    fail("cannot truncate", errno);
  }
  m_bytes_written = std::min(m_bytes_written, size);
}

AtomicFileWriter::AtomicFileWriter(AtomicFileWriter&& other) noexcept
    : m_data_root(std::move(other.m_data_root)),
      m_folders(other.m_folders),
      m_relative_path(std::move(other.m_relative_path)),
      m_file_name(std::move(other.m_file_name)),
      m_folder(std::move(other.m_folder)),
      m_file(std::move(other.m_file)),
      m_temp_name(std::move(other.m_temp_name)),
      m_bytes_written(other.m_bytes_written),
      m_state(std::exchange(other.m_state, State::finished)),
      m_partial(other.m_partial),
      m_keep_partial(other.m_keep_partial) {}

AtomicFileWriter& AtomicFileWriter::operator=(AtomicFileWriter&& other) noexcept {
  if (this != &other) {
    abort();
    m_data_root = std::move(other.m_data_root);
    m_folders = other.m_folders;
    m_relative_path = std::move(other.m_relative_path);
    m_file_name = std::move(other.m_file_name);
    m_folder = std::move(other.m_folder);
    m_file = std::move(other.m_file);
    m_temp_name = std::move(other.m_temp_name);
    m_bytes_written = other.m_bytes_written;
    m_state = std::exchange(other.m_state, State::finished);
    m_partial = other.m_partial;
    m_keep_partial = other.m_keep_partial;
  }
  return *this;
}

void AtomicFileWriter::fail(const std::string& what, int error) {
  std::string detail = std::strerror(error);
  if ((error == ENOSPC || error == EDQUOT) && m_folder) {
    // Say how much room there is, so the user can tell a full disk from a quota.
    struct statvfs space {};
    if (::fstatvfs(m_folder->get(), &space) == 0) {
      const auto free_bytes = static_cast<std::uint64_t>(space.f_bavail) * space.f_frsize;
      detail += " (" + util::format_bytes(free_bytes) + " free on that filesystem)";
    }
  }
  m_keep_partial = false;  // a file that failed to write is no use to resume
  abort();
  throw Error(what + " " + util::printable(m_relative_path.string()) + ": " + detail);
}

SharedFolder AtomicFileWriter::open_destination_folder() const {
  const std::filesystem::path parent = m_relative_path.parent_path();
  if (m_folders != nullptr) {
    return m_folders->open(parent);
  }
  util::UniqueFd root(::open(m_data_root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!root) {
    const int error = errno;
    throw Error("cannot open data directory " + util::printable(m_data_root.string()) + ": " +
                std::strerror(error));
  }
  return std::make_shared<const util::UniqueFd>(open_folder_below(root.get(), {}, parent));
}

void AtomicFileWriter::ensure_temp_file() {
  if (m_state == State::writing) {
    return;
  }
  if (m_state != State::pending) {
    throw Error("writer for " + util::printable(m_relative_path.string()) +
                " is already finished or aborted");
  }
  try {
    m_folder = open_destination_folder();
  } catch (...) {
    abort();
    throw;
  }
  const std::string prefix = "." + std::string(name_for_temp(m_file_name)) + ".";
  for (int attempt = 0; attempt < k_temp_name_attempts; ++attempt) {
    std::string candidate = prefix + random_hex_digits() + std::string(k_temp_suffix);
    const int fd =
        ::openat(folder_fd(), candidate.c_str(), O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                 // Like cp and aws-cli: the user's umask decides, so a team that
                 // shares a folder with umask 002 gets group-writable files.
                 0666);
    if (fd >= 0) {
      m_file.reset(fd);
      // Held until the file is renamed or removed: tells another run's cleanup that this
      // temp file is alive (see remove_if_abandoned).
      ::flock(fd, LOCK_EX | LOCK_NB);
      m_temp_name = std::move(candidate);
      m_state = State::writing;
      return;
    }
    if (errno == ENOENT && m_folders != nullptr && attempt == 0) {
      // The cached folder was removed or replaced meanwhile (another user tidied up):
      // walk again from the data root, once.
      m_folders->forget(m_relative_path.parent_path());
      try {
        m_folder = open_destination_folder();
      } catch (...) {
        abort();
        throw;
      }
      continue;
    }
    if (errno != EEXIST) {
      fail("cannot create temp file for", errno);
    }
  }
  fail("cannot create temp file for", EEXIST);
}

void AtomicFileWriter::write(std::string_view bytes) {
  if (bytes.empty()) {
    return;
  }
  ensure_temp_file();
  while (!bytes.empty()) {
    const ssize_t written = ::write(m_file.get(), bytes.data(), bytes.size());
    if (written < 0) {
      if (errno == EINTR) {
        continue;
      }
      fail("cannot write", errno);
    }
    bytes.remove_prefix(static_cast<std::size_t>(written));
    m_bytes_written += static_cast<std::uint64_t>(written);
  }
}

void AtomicFileWriter::write_at(std::uint64_t offset, std::string_view bytes) {
  if (bytes.empty()) {
    return;
  }
  ensure_temp_file();
  while (!bytes.empty()) {
    const ssize_t written =
        ::pwrite(m_file.get(), bytes.data(), bytes.size(), static_cast<off_t>(offset));
    if (written < 0) {
      if (errno == EINTR) {
        continue;
      }
      fail("cannot write", errno);
    }
    bytes.remove_prefix(static_cast<std::size_t>(written));
    offset += static_cast<std::uint64_t>(written);
  }
  m_bytes_written = std::max(m_bytes_written, offset);
}

std::size_t AtomicFileWriter::read_at(std::uint64_t offset, char* buffer, std::size_t size) {
  if (m_state != State::writing) {
    throw Error("nothing written yet to " + util::printable(m_relative_path.string()));
  }
  for (;;) {
    const ssize_t got = ::pread(m_file.get(), buffer, size, static_cast<off_t>(offset));
    if (got >= 0) {
      return static_cast<std::size_t>(got);
    }
    if (errno != EINTR) {
      fail("cannot read back", errno);
    }
  }
}

CommitResult AtomicFileWriter::commit(util::SystemTime mtime, std::uint64_t expected_size,
                                      bool replace) {
  ensure_temp_file();
  if (m_bytes_written != expected_size) {
    const std::string counts =
        std::to_string(m_bytes_written) + " of " + std::to_string(expected_size) + " bytes";
    const std::string shown = util::printable(m_relative_path.string());
    m_keep_partial = false;
    abort();
    if (m_bytes_written < expected_size) {
      throw Error(shown + ": truncated: got " + counts);
    }
    throw Error(shown + ": size mismatch: got " + counts);
  }
  if (m_partial && ::ftruncate(m_file.get(), static_cast<off_t>(expected_size)) != 0) {
    fail("cannot truncate", errno);  // drops the journal that follows the object's bytes
  }
  const timespec time = to_timespec(mtime);
  const std::array<timespec, 2> times{time, time};  // atime and mtime, as aws s3 sync does
  if (::futimens(m_file.get(), times.data()) != 0) {
    fail("cannot set the modification time of", errno);
  }
  // Network filesystems report failed write-back at close: check it before publishing.
  if (m_file.close_checked() != 0) {
    fail("cannot write", errno);
  }
  return rename_into_place(replace);
}

CommitResult AtomicFileWriter::rename_into_place(bool replace) {
  const int folder = folder_fd();
  const char* temp = m_temp_name.c_str();
  const char* name = m_file_name.c_str();
  if (replace) {
    if (::renameat(folder, temp, folder, name) != 0) {
      fail("cannot rename into place", errno);
    }
    m_state = State::finished;
    return CommitResult::committed;
  }
  if (::renameat2(folder, temp, folder, name, RENAME_NOREPLACE) == 0) {
    m_state = State::finished;
    return CommitResult::committed;
  }
  int error = errno;
  if (error == EINVAL || error == ENOSYS) {
    error = detail::link_then_unlink(folder, temp, name);
    if (error == 0) {
      m_state = State::finished;
      return CommitResult::committed;
    }
  }
  if (error == EEXIST) {
    m_keep_partial = false;
    abort();
    m_state = State::finished;
    return CommitResult::already_exists;
  }
  fail("cannot move into place", error);
}

void AtomicFileWriter::remove_temp_file() noexcept {
  m_file.reset();
  if (m_folder && !m_temp_name.empty()) {
    ::unlinkat(folder_fd(), m_temp_name.c_str(), 0);
  }
}

void AtomicFileWriter::abort() noexcept {
  if (m_state == State::writing && !(m_partial && m_keep_partial)) {
    remove_temp_file();
  }
  if (m_state != State::finished) {
    m_state = State::aborted;
  }
  m_file.reset();
  m_folder.reset();
}

}  // namespace gsync::sync
