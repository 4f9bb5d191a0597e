#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace gsync::sync {

enum class KeyKind { file, directory_marker, refused };

struct KeyMapping {
  KeyKind kind;
  // For files: where the object lands, relative to the data directory. For directory
  // markers: the folder the marker names (nothing is created for it). Empty when refused.
  std::filesystem::path relative_path;
  // Why a key was refused, in words safe to print (never contains the key's bytes).
  std::string reason;
};

// Maps an S3 key to a local path, or refuses it. S3 keys are arbitrary bytes chosen by
// whoever wrote the bucket, so every key is treated as hostile: nothing may name a path
// outside the destination or a file name the local filesystem would misread.
//
// root_prefix is the listed prefix, ending in '/' (for example
// "1_download_merge_and_clip/sentinel2/"); the same prefix, as a relative path, is where
// the objects land. The part of the key after it is split on '/' and refused when it is
// absolute, has an empty, "." or ".." segment, a control byte (< 0x20 or 0x7f, NUL
// included), a segment over 255 bytes, or invalid UTF-8. A key ending in '/' (and the
// root prefix itself) is a directory marker. The root prefix must pass the same rules.
KeyMapping map_key(std::string_view key, std::string_view root_prefix);

// The reason one path segment is unsafe as a local file or folder name, or an empty
// string when it is fine. Shared with the writer, which re-checks what it is given.
std::string segment_problem(std::string_view segment);

// Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
bool is_valid_utf8(std::string_view text);

}  // namespace gsync::sync
