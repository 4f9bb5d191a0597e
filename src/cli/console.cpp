#include "cli/console.hpp"

#include <cstdlib>
#include <unistd.h>

namespace gsync::cli {

namespace {

bool colour_wanted(int fd) {
  const char* no_colour = std::getenv("NO_COLOR");
  if (no_colour != nullptr && no_colour[0] != '\0') {
    return false;
  }
  const char* term = std::getenv("TERM");
  if (term != nullptr && std::string_view(term) == "dumb") {
    return false;
  }
  return isatty(fd) == 1;
}

std::string_view colour_code(Tone tone) {
  switch (tone) {
    case Tone::good:
      return "\033[32m";
    case Tone::warning:
      return "\033[33m";
    case Tone::bad:
      return "\033[31m";
    case Tone::heading:
      return "\033[1m";
    case Tone::plain:
      break;
  }
  return "";
}

}  // namespace

Console::Console() : Console(colour_wanted(STDOUT_FILENO), colour_wanted(STDERR_FILENO)) {}

Console::Console(bool stdout_colour, bool stderr_colour)
    : m_stdout_colour(stdout_colour), m_stderr_colour(stderr_colour) {}

void Console::out(std::string_view line, Tone tone) {
  write_line(stdout, line, tone, m_stdout_colour);
}

void Console::err(std::string_view line, Tone tone) {
  // Keep the order of interleaved stdout and stderr lines when both go to one terminal.
  std::fflush(stdout);
  write_line(stderr, line, tone, m_stderr_colour);
}

void Console::flush() {
  std::fflush(stdout);
  std::fflush(stderr);
}

void Console::write_line(std::FILE* stream, std::string_view line, Tone tone, bool colour) {
  const std::string_view code = colour ? colour_code(tone) : std::string_view();
  if (!code.empty()) {
    std::fwrite(code.data(), 1, code.size(), stream);
  }
  std::fwrite(line.data(), 1, line.size(), stream);
  if (!code.empty()) {
    std::fputs("\033[0m", stream);
  }
  std::fputc('\n', stream);
}

}  // namespace gsync::cli
