#pragma once

#include <span>
#include <string>

namespace gsync::util {

// Lower-case, two digits per byte: the form SigV4 and S3 ETags use.
std::string to_hex(std::span<const unsigned char> bytes);

}  // namespace gsync::util
