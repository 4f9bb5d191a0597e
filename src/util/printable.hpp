#pragma once

#include <string>
#include <string_view>

namespace gsync::util {

// Makes untrusted text (an S3 key) safe to print on one terminal line: control bytes,
// including NUL, newline and ESC, become \xNN, so a key cannot forge output lines or move
// the cursor. Other bytes (UTF-8) pass through.
std::string printable(std::string_view text);

}  // namespace gsync::util
