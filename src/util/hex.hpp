#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace gsync::util {

// Lower-case, two digits per byte: the form SigV4 and S3 ETags use.
std::string to_hex(std::span<const unsigned char> bytes);
std::string to_hex(std::string_view bytes);
// Either case; nullopt for an odd length or a non-hex digit.
std::optional<std::string> from_hex(std::string_view digits);

}  // namespace gsync::util
