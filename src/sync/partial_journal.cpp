#include "sync/partial_journal.hpp"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

namespace gsync::sync {
namespace {

constexpr std::string_view k_magic = "GSYNC-PARTIAL 1\n";

bool parse_number(std::string_view text, std::uint64_t& value) {
  const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
  return result.ec == std::errc() && result.ptr == text.data() + text.size() && !text.empty();
}

// Splits off one complete line (without its '\n'); false when no complete line is left.
bool next_line(std::string_view& text, std::string_view& line) {
  const auto end = text.find('\n');
  if (end == std::string_view::npos) {
    return false;
  }
  line = text.substr(0, end);
  text.remove_prefix(end + 1);
  return true;
}

}  // namespace

std::optional<PartialJournal> PartialJournal::parse(std::string_view text, std::string_view etag,
                                                    std::uint64_t size) {
  const std::size_t total = text.size();
  if (!text.starts_with(k_magic)) {
    return std::nullopt;
  }
  text.remove_prefix(k_magic.size());
  std::string_view line;
  if (!next_line(text, line) || line != fmt::format("etag {}", etag)) {
    return std::nullopt;
  }
  if (!next_line(text, line) || line != fmt::format("size {}", size)) {
    return std::nullopt;
  }
  PartialJournal journal{std::string(etag), size};
  // Done lines follow; a torn last line (killed mid-append) and anything after it is ignored.
  std::string_view rest = text;
  while (next_line(rest, line)) {
    if (!line.starts_with("done ")) {
      break;
    }
    line.remove_prefix(5);
    const auto space = line.find(' ');
    std::uint64_t first = 0;
    std::uint64_t end = 0;
    if (space == std::string_view::npos || !parse_number(line.substr(0, space), first) ||
        !parse_number(line.substr(space + 1), end) || first >= end || end > size) {
      break;
    }
    journal.add_done(first, end);
    text = rest;
  }
  journal.m_text_length = total - text.size();
  return journal;
}

std::string PartialJournal::header() const {
  return fmt::format("{}etag {}\nsize {}\n", k_magic, m_etag, m_size);
}

std::string PartialJournal::done_line(std::uint64_t first, std::uint64_t end) {
  return fmt::format("done {} {}\n", first, end);
}

void PartialJournal::add_done(std::uint64_t first, std::uint64_t end) {
  m_done.emplace_back(first, end);
}

bool PartialJournal::covers(std::uint64_t first, std::uint64_t end) const {
  // Parts are recorded whole, so a range is covered when one recorded range holds it; a
  // different --part-size than last time simply means fewer parts are skipped.
  return std::any_of(m_done.begin(), m_done.end(),
                     [&](const auto& done) { return done.first <= first && end <= done.second; });
}

std::uint64_t PartialJournal::done_bytes() const {
  std::uint64_t total = 0;
  for (const auto& [first, end] : m_done) {
    total += end - first;
  }
  return total;
}

}  // namespace gsync::sync
