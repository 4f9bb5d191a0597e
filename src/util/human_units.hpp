#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace gsync::util {

// "0 B", "512 B", "1.5 KiB", "12.3 MiB": binary units, as aws-cli and rclone print them.
std::string format_bytes(std::uint64_t bytes);
// "0.42 s", "1 min 05 s", "2 h 03 min"
std::string format_duration(std::chrono::duration<double> elapsed);
// "12.3 MiB/s"; "-" when no time has passed
std::string format_rate(std::uint64_t bytes, std::chrono::duration<double> elapsed);

}  // namespace gsync::util
