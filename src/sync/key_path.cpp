#include "sync/key_path.hpp"

#include <cstddef>
#include <cstdio>

#include "sync/atomic_file_writer.hpp"

namespace gsync::sync {
namespace {

// Linux NAME_MAX: a longer segment cannot be created, and failing early gives a clearer
// message than ENAMETOOLONG halfway through a download.
constexpr std::size_t k_max_segment_bytes = 255;

KeyMapping refused(std::string reason) {
  return KeyMapping{KeyKind::refused, {}, std::move(reason)};
}

// Checks every segment of a '/'-separated remainder except a trailing empty one (which
// marks a directory). Returns the first problem found, or an empty string.
std::string remainder_problem(std::string_view remainder) {
  if (!remainder.empty() && remainder.front() == '/') {
    return "absolute path (leading '/')";
  }
  std::size_t start = 0;
  while (start < remainder.size()) {
    const std::size_t slash = remainder.find('/', start);
    const std::size_t end = slash == std::string_view::npos ? remainder.size() : slash;
    std::string problem = segment_problem(remainder.substr(start, end - start));
    if (!problem.empty()) {
      return problem;
    }
    if (slash == std::string_view::npos) {
      break;
    }
    start = slash + 1;
  }
  return {};
}

std::filesystem::path as_relative_path(std::string_view slash_separated) {
  while (!slash_separated.empty() && slash_separated.back() == '/') {
    slash_separated.remove_suffix(1);
  }
  return std::filesystem::path(std::string(slash_separated));
}

}  // namespace

bool is_valid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    if (lead < 0x80) {
      ++i;
      continue;
    }
    std::size_t length = 0;
    char32_t code_point = 0;
    char32_t minimum = 0;
    if ((lead & 0xE0) == 0xC0) {
      length = 2;
      code_point = lead & 0x1F;
      minimum = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
      length = 3;
      code_point = lead & 0x0F;
      minimum = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
      length = 4;
      code_point = lead & 0x07;
      minimum = 0x10000;
    } else {
      return false;  // a continuation byte without a lead, or 0xF8..0xFF
    }
    if (text.size() - i < length) {
      return false;
    }
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) {
        return false;
      }
      code_point = (code_point << 6) | (next & 0x3F);
    }
    if (code_point < minimum || code_point > 0x10FFFF ||
        (code_point >= 0xD800 && code_point <= 0xDFFF)) {
      return false;
    }
    i += length;
  }
  return true;
}

std::string segment_problem(std::string_view segment) {
  if (segment.empty()) {
    return "empty path segment ('//')";
  }
  if (segment == ".") {
    return "'.' path segment";
  }
  if (segment == "..") {
    return "'..' path segment (would escape the destination)";
  }
  if (segment.size() > k_max_segment_bytes) {
    return "path segment longer than 255 bytes";
  }
  for (const char c : segment) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte == 0) {
      return "NUL byte in key";
    }
    if (byte < 0x20 || byte == 0x7F) {
      char text[64];
      std::snprintf(text, sizeof text, "control character 0x%02X in key", byte);
      return text;
    }
  }
  if (!is_valid_utf8(segment)) {
    return "invalid UTF-8 in key";
  }
  return {};
}

KeyMapping map_key(std::string_view key, std::string_view root_prefix) {
  if (!root_prefix.empty() && root_prefix.back() != '/') {
    return refused("listed prefix does not end in '/'");
  }
  if (std::string problem = remainder_problem(root_prefix); !problem.empty()) {
    return refused("unsafe listed prefix: " + problem);
  }
  if (key.substr(0, root_prefix.size()) != root_prefix) {
    return refused("key is outside the listed prefix");
  }
  const std::string_view remainder = key.substr(root_prefix.size());
  const std::filesystem::path root = as_relative_path(root_prefix);
  if (remainder.empty()) {
    return KeyMapping{KeyKind::directory_marker, root, {}};
  }
  if (std::string problem = remainder_problem(remainder); !problem.empty()) {
    return refused(std::move(problem));
  }
  if (remainder.back() == '/') {
    return KeyMapping{KeyKind::directory_marker, root / as_relative_path(remainder), {}};
  }
  const std::string_view file_name = remainder.substr(remainder.rfind('/') + 1);
  if (is_temp_file_name(file_name) || is_partial_file_name(file_name)) {
    // A later run would take such a file for a leftover of a killed download.
    return refused("file name has the form of glacier-sync's temporary files");
  }
  return KeyMapping{KeyKind::file, root / std::filesystem::path(std::string(remainder)), {}};
}

}  // namespace gsync::sync
