#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "sync/folder_handle_cache.hpp"
#include "util/time_format.hpp"
#include "util/unique_fd.hpp"

namespace gsync::sync {

enum class CommitResult {
  committed,
  already_exists,  // someone created the file meanwhile; ours was discarded, theirs kept
};

// Writes one download so that a real file name only ever holds a complete file.
//
// Bytes go to ".NAME.XXXXXXXX.gsync-tmp" (8 random hex digits) in the destination's own
// folder, so the final rename never crosses filesystems. The temp file is created on the
// first non-empty write (or at commit for an empty file) with O_CREAT|O_EXCL, so two
// people syncing one directory never share a temp file. Missing folders are created on
// the way, walking down from the data root with O_NOFOLLOW: a symlinked or non-folder
// component is an error, so a planted symlink cannot redirect a write outside the root.
//
// commit() checks the byte count, sets the mtime, then renames into place: without
// replace it refuses to overwrite anything (RENAME_NOREPLACE, or link+unlink where that is
// unsupported), with replace it atomically replaces the old file. The destructor and
// abort() remove an uncommitted temp file. Any error removes the temp file too and leaves
// the writer unusable, so a failed write can never be committed by mistake.
class AtomicFileWriter {
 public:
  // relative_path is below data_root, already validated by map_key; it is checked again
  // (no absolute path, no empty, "." or ".." component) and gsync::Error thrown if bad.
  // Touches nothing on disk. This form walks from the data root for each file.
  AtomicFileWriter(const std::filesystem::path& data_root, std::filesystem::path relative_path);
  // Opens the destination folder through `folders` (which must outlive the writer), so
  // many files in one folder share one walk.
  AtomicFileWriter(FolderHandleCache& folders, std::filesystem::path relative_path);

  // A resumable temp file for a large download: ".NAME.gsync-part" (a stable name the next
  // run finds), opened without truncating and locked with flock for as long as this writer
  // holds it. nullopt when another process holds the lock: it is downloading the same file
  // right now. The caller reads what an earlier run left in it with read_at.
  static std::optional<AtomicFileWriter> open_partial(FolderHandleCache& folders,
                                                      std::filesystem::path relative_path);
  ~AtomicFileWriter() noexcept { abort(); }
  AtomicFileWriter(const AtomicFileWriter&) = delete;
  AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;
  AtomicFileWriter(AtomicFileWriter&& other) noexcept;
  AtomicFileWriter& operator=(AtomicFileWriter&& other) noexcept;

  // Appends; retries partial writes and EINTR. gsync::Error (with the strerror text) on
  // failure, e.g. ENOSPC, EDQUOT, EIO.
  void write(std::string_view bytes);
  // Writes at an offset (pwrite), for ranged parts of one object arriving in any order.
  // bytes_written() becomes the highest end written; the caller, which knows the parts,
  // makes sure none is missing before commit.
  void write_at(std::uint64_t offset, std::string_view bytes);
  // Reads back bytes already written (pread), for verifying parts that arrived out of
  // order. Returns the count read; gsync::Error on failure.
  std::size_t read_at(std::uint64_t offset, char* buffer, std::size_t size);

  // gsync::Error "truncated: got N of M bytes" when fewer bytes than expected_size were
  // written (and a size mismatch error when more). No fsync: a crash may lose a committed
  // file's data, but the next sync sees its wrong size or mtime; the cost of an fsync per
  // file on a shared cluster filesystem is far higher.
  CommitResult commit(util::SystemTime mtime, std::uint64_t expected_size, bool replace);

  void abort() noexcept;

  // A partial file survives abort() while this is set (an interrupted run leaves it for the
  // next run to resume); a failed download clears it so the file goes.
  void keep_partial_on_abort(bool keep) { m_keep_partial = keep; }
  bool is_partial() const { return m_partial; }
  // For partial files: writes outside the object's bytes (the journal), not counted in
  // bytes_written(); truncate() empties the file to start over.
  void write_journal_at(std::uint64_t offset, std::string_view bytes);
  void truncate(std::uint64_t size);
  // Bytes an earlier run already wrote, so commit's size check counts them.
  void note_existing_bytes(std::uint64_t end) { m_bytes_written = std::max(m_bytes_written, end); }

  std::uint64_t bytes_written() const { return m_bytes_written; }
  const std::filesystem::path& relative_path() const { return m_relative_path; }
  // The temp file's name in the destination folder; empty until it is created.
  const std::string& temp_file_name() const { return m_temp_name; }

 private:
  enum class State { pending, writing, finished, aborted };

  void ensure_temp_file();
  SharedFolder open_destination_folder() const;
  int folder_fd() const { return m_folder ? m_folder->get() : -1; }
  [[noreturn]] void fail(const std::string& what, int error);
  void remove_temp_file() noexcept;
  CommitResult rename_into_place(bool replace);

  std::filesystem::path m_data_root;
  FolderHandleCache* m_folders = nullptr;
  std::filesystem::path m_relative_path;
  std::string m_file_name;
  SharedFolder m_folder;
  util::UniqueFd m_file;
  std::string m_temp_name;
  std::uint64_t m_bytes_written = 0;
  State m_state = State::pending;
  bool m_partial = false;
  bool m_keep_partial = false;
};

namespace detail {
// The never-overwrite rename for filesystems without RENAME_NOREPLACE (the Linux NFS client
// refuses every rename flag with EINVAL, and shared cluster folders are often NFS): hard-link
// the temp file under the real name, which fails with EEXIST if the name is taken, then
// drop the temp name. Returns 0 or the errno value; the temp name is kept on failure.
int link_then_unlink(int folder_fd, const char* temp_name, const char* file_name) noexcept;
}  // namespace detail

// True for names the writer gives its temp files (".NAME.XXXXXXXX.gsync-tmp"), so
// listings and the tree printer can leave them out.
bool is_temp_file_name(std::string_view file_name);
// True for resumable partial files (".NAME.gsync-part").
bool is_partial_file_name(std::string_view file_name);

// Removes a temp or partial file left by a run that died (kill -9, power loss), unless a
// running glacier-sync still holds its lock. Returns true when it was removed.
bool remove_if_abandoned(int folder_fd, const std::string& file_name) noexcept;

}  // namespace gsync::sync
