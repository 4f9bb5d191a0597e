#pragma once

#include <cstdio>
#include <string_view>

namespace gsync::cli {

enum class Tone { plain, good, warning, bad, heading };

// Lines for the user: results on stdout, warnings and errors on stderr. Colour only when
// the stream is a terminal and NO_COLOR is not set (https://no-color.org).
class Console {
 public:
  Console();
  Console(bool stdout_colour, bool stderr_colour);

  void out(std::string_view line, Tone tone = Tone::plain);
  void err(std::string_view line, Tone tone = Tone::bad);
  void flush();

 private:
  static void write_line(std::FILE* stream, std::string_view line, Tone tone, bool colour);
  bool m_stdout_colour;
  bool m_stderr_colour;
};

}  // namespace gsync::cli
