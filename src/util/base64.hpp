#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gsync::util {

// Standard alphabet with '=' padding (RFC 4648), as S3 uses for checksums and Content-MD5.
std::string base64_encode(std::string_view bytes);
// nullopt for anything that is not canonical padded base64.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace gsync::util
