#include "util/time_format.hpp"

#include <array>
#include <cstdint>

#include <fmt/format.h>

namespace gsync::util {
namespace {

using namespace std::chrono;

struct CivilTime {
  int year = 0;
  unsigned month = 0;
  unsigned day = 0;
  int hour = 0;
  int minute = 0;
  int second = 0;
};

CivilTime to_civil(SystemTime t) {
  const auto day_point = floor<days>(t);
  const year_month_day date{day_point};
  const hh_mm_ss clock{floor<seconds>(t - day_point)};
  return {static_cast<int>(date.year()),
          static_cast<unsigned>(date.month()),
          static_cast<unsigned>(date.day()),
          static_cast<int>(clock.hours().count()),
          static_cast<int>(clock.minutes().count()),
          static_cast<int>(clock.seconds().count())};
}

std::optional<SystemTime> from_civil(const CivilTime& civil) {
  const year_month_day date{year{civil.year}, month{civil.month}, day{civil.day}};
  // Second 60 is rejected: neither S3 nor HTTP dates carry leap seconds in practice.
  if (!date.ok() || civil.hour > 23 || civil.minute > 59 || civil.second > 59) {
    return std::nullopt;
  }
  return SystemTime{sys_days{date} + hours{civil.hour} + minutes{civil.minute} +
                    seconds{civil.second}};
}

// Reads a fixed-width format left to right; every method fails once any step has.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : m_text(text) {}

  bool ok() const { return m_ok; }
  bool at_end() const { return m_position == m_text.size(); }
  char peek() const { return at_end() ? '\0' : m_text[m_position]; }

  int digits(std::size_t count) {
    int value = 0;
    for (std::size_t i = 0; i < count; ++i) {
      const char c = peek();
      if (!m_ok || c < '0' || c > '9') {
        m_ok = false;
        return 0;
      }
      value = value * 10 + (c - '0');
      ++m_position;
    }
    return value;
  }

  void literal(std::string_view expected) {
    if (m_ok && m_text.substr(m_position).starts_with(expected)) {
      m_position += expected.size();
    } else {
      m_ok = false;
    }
  }

  // Returns the index in names of the three-letter name found next, or -1.
  template <std::size_t N>
  int name(const std::array<std::string_view, N>& names) {
    for (std::size_t i = 0; i < N && m_ok; ++i) {
      if (m_text.substr(m_position).starts_with(names[i])) {
        m_position += names[i].size();
        return static_cast<int>(i);
      }
    }
    m_ok = false;
    return -1;
  }

  void skip() { ++m_position; }

 private:
  std::string_view m_text;
  std::size_t m_position = 0;
  bool m_ok = true;
};

constexpr std::array<std::string_view, 12> k_month_names = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::array<std::string_view, 7> k_day_names = {"Mon", "Tue", "Wed", "Thu",
                                                         "Fri", "Sat", "Sun"};

}  // namespace

std::string format_amz_date(SystemTime t) {
  const CivilTime c = to_civil(t);
  return fmt::format("{:04}{:02}{:02}T{:02}{:02}{:02}Z", c.year, c.month, c.day, c.hour, c.minute,
                     c.second);
}

std::string format_date_stamp(SystemTime t) {
  const CivilTime c = to_civil(t);
  return fmt::format("{:04}{:02}{:02}", c.year, c.month, c.day);
}

std::optional<SystemTime> parse_iso8601(std::string_view text) {
  Cursor cursor(text);
  CivilTime civil;
  civil.year = cursor.digits(4);
  cursor.literal("-");
  civil.month = static_cast<unsigned>(cursor.digits(2));
  cursor.literal("-");
  civil.day = static_cast<unsigned>(cursor.digits(2));
  cursor.literal("T");
  civil.hour = cursor.digits(2);
  cursor.literal(":");
  civil.minute = cursor.digits(2);
  cursor.literal(":");
  civil.second = cursor.digits(2);
  if (!cursor.ok()) {
    return std::nullopt;
  }

  nanoseconds fraction{0};
  if (cursor.peek() == '.') {
    cursor.skip();
    std::int64_t scale = 100'000'000;
    int count = 0;
    while (cursor.peek() >= '0' && cursor.peek() <= '9') {
      // Digits past nanoseconds cannot be represented; they are read and dropped.
      fraction += nanoseconds{cursor.digits(1) * scale};
      scale /= 10;
      ++count;
    }
    if (count == 0) {
      return std::nullopt;
    }
  }

  minutes offset{0};
  if (cursor.peek() == 'Z') {
    cursor.skip();
  } else if (cursor.peek() == '+' || cursor.peek() == '-') {
    const int sign = cursor.peek() == '+' ? 1 : -1;
    cursor.skip();
    const int offset_hours = cursor.digits(2);
    cursor.literal(":");
    const int offset_minutes = cursor.digits(2);
    if (offset_hours > 23 || offset_minutes > 59) {
      return std::nullopt;
    }
    offset = minutes{sign * (offset_hours * 60 + offset_minutes)};
  } else {
    return std::nullopt;
  }
  if (!cursor.ok() || !cursor.at_end()) {
    return std::nullopt;
  }

  const auto whole = from_civil(civil);
  if (!whole) {
    return std::nullopt;
  }
  return *whole - offset + duration_cast<SystemTime::duration>(fraction);
}

std::optional<SystemTime> parse_http_date(std::string_view text) {
  Cursor cursor(text);
  CivilTime civil;
  cursor.name(k_day_names);
  cursor.literal(", ");
  civil.day = static_cast<unsigned>(cursor.digits(2));
  cursor.literal(" ");
  civil.month = static_cast<unsigned>(cursor.name(k_month_names) + 1);
  cursor.literal(" ");
  civil.year = cursor.digits(4);
  cursor.literal(" ");
  civil.hour = cursor.digits(2);
  cursor.literal(":");
  civil.minute = cursor.digits(2);
  cursor.literal(":");
  civil.second = cursor.digits(2);
  cursor.literal(" GMT");
  if (!cursor.ok() || !cursor.at_end()) {
    return std::nullopt;
  }
  return from_civil(civil);
}

std::optional<SystemTime> parse_amz_date(std::string_view text) {
  Cursor cursor(text);
  CivilTime civil;
  civil.year = cursor.digits(4);
  civil.month = static_cast<unsigned>(cursor.digits(2));
  civil.day = static_cast<unsigned>(cursor.digits(2));
  cursor.literal("T");
  civil.hour = cursor.digits(2);
  civil.minute = cursor.digits(2);
  civil.second = cursor.digits(2);
  cursor.literal("Z");
  if (!cursor.ok() || !cursor.at_end()) {
    return std::nullopt;
  }
  return from_civil(civil);
}

}  // namespace gsync::util
