#pragma once

namespace gsync::cli {

// From project(VERSION) in CMakeLists.txt, so there is one place to bump it.
inline constexpr const char* k_version = GSYNC_VERSION;

}  // namespace gsync::cli
