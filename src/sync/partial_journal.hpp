#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gsync::sync {

// The record that makes an interrupted large download resumable. It lives in the partial
// file itself, right after the object's bytes (at offset = object size), so the partial
// file is one self-describing file: which object version it holds (ETag and size) and
// which byte ranges are complete. Commit truncates it away before the rename.
//
//   GSYNC-PARTIAL 1\n
//   etag <etag>\n
//   size <bytes>\n
//   done <first> <end>\n      (one line per completed part, appended as parts finish)
class PartialJournal {
 public:
  PartialJournal(std::string etag, std::uint64_t size) : m_etag(std::move(etag)), m_size(size) {}

  // Reads a journal found at offset `size` of a partial file; nullopt when the text is not
  // a journal for exactly this object version (other ETag or size, damage): start over.
  static std::optional<PartialJournal> parse(std::string_view text, std::string_view etag,
                                             std::uint64_t size);

  std::string header() const;
  static std::string done_line(std::uint64_t first, std::uint64_t end);

  void add_done(std::uint64_t first, std::uint64_t end);
  // True when [first, end) lies inside the ranges recorded as done.
  bool covers(std::uint64_t first, std::uint64_t end) const;
  // Bytes recorded as done (ranges may not overlap: each part is recorded once).
  std::uint64_t done_bytes() const;
  // The length of the text parsed (header and done lines): where the next line goes.
  std::size_t text_length() const { return m_text_length; }
  void set_text_length(std::size_t length) { m_text_length = length; }

 private:
  std::string m_etag;
  std::uint64_t m_size;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> m_done;
  std::size_t m_text_length = 0;
};

}  // namespace gsync::sync
