#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gsync::util {

// RFC 3986 percent-encoding as SigV4 wants it: the unreserved characters A-Z a-z 0-9 - _ . ~
// stay, every other byte (UTF-8 bytes one by one) becomes %XX with upper-case hex.
// keep_slash leaves '/' alone, for paths.
std::string uri_encode(std::string_view text, bool keep_slash);

// Decodes %XX (either case) and, when plus_is_space, '+' as a space. Returns nullopt on a
// '%' not followed by two hex digits, so a corrupt key is not silently mangled.
std::optional<std::string> url_decode(std::string_view text, bool plus_is_space);

}  // namespace gsync::util
