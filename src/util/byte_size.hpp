#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace gsync::util {

// "8388608", "16MiB", "16M", "16MB", "1.5GiB", "64k": sizes as aws-cli and rclone accept
// them. K/M/G/T mean binary multiples either way, as in rclone, because part sizes are
// meant in MiB. nullopt for anything else, negative or overflowing.
std::optional<std::uint64_t> parse_byte_size(std::string_view text);

}  // namespace gsync::util
