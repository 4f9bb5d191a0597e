#pragma once

namespace gsync::cli {

// Everything main does: parse, run, and turn the one fatal error into one line and a code.
int main_entry(int argc, const char* const* argv);

}  // namespace gsync::cli
