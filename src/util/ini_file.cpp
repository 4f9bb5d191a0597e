#include "util/ini_file.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <system_error>

#include "util/error.hpp"

namespace gsync::util {
namespace {

// configparser.BasicInterpolation gives up after this many nested references.
constexpr int k_max_interpolation_depth = 10;
constexpr std::string_view k_default_section = "DEFAULT";
constexpr std::string_view k_whitespace = " \t\r\n\f\v";

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(k_whitespace);
  if (first == std::string_view::npos) {
    return {};
  }
  const auto last = text.find_last_not_of(k_whitespace);
  return text.substr(first, last - first + 1);
}

std::string_view rtrim(std::string_view text) {
  const auto last = text.find_last_not_of(k_whitespace);
  return last == std::string_view::npos ? std::string_view{} : text.substr(0, last + 1);
}

// configparser's optionxform.
std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
    return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  });
  return out;
}

// The offending line is never quoted: in ~/.aws/credentials it may be a secret key.
[[noreturn]] void fail(std::string_view source, std::size_t line, const std::string& message) {
  throw Fatal(std::string(source) + ":" + std::to_string(line) + ": " + message);
}

// "[name]" as configparser's permissive SECTCRE matches it: '[' then at least one character,
// up to the last ']'; anything after that ']' is ignored.
std::optional<std::string_view> section_header(std::string_view stripped) {
  if (stripped.empty() || stripped.front() != '[') {
    return std::nullopt;
  }
  const auto close = stripped.rfind(']');
  if (close == std::string_view::npos || close < 2) {
    return std::nullopt;
  }
  return stripped.substr(1, close - 1);
}

}  // namespace

IniFile IniFile::parse(std::string_view text, std::string_view source_name) {
  IniFile ini;
  ini.m_source_name = std::string(source_name);
  if (text.substr(0, 3) == "\xEF\xBB\xBF") {
    text.remove_prefix(3);  // A BOM from a Windows editor is not part of the first header.
  }

  Section* section = nullptr;  // map nodes are stable; the vector is not, so re-resolve below
  std::string section_name;
  Entry* entry = nullptr;  // the key whose value indented lines continue
  std::size_t indent_level = 0;

  std::size_t line_number = 0;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto end = std::min(text.find('\n', start), text.size());
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++line_number;
    if (end == text.size() && line.empty()) {
      break;
    }

    const auto stripped = trim(line);
    const bool comment = !stripped.empty() && (stripped.front() == '#' || stripped.front() == ';');
    if (stripped.empty() || comment) {
      // Blank lines belong to a value being continued (configparser's empty_lines_in_values);
      // trailing ones are removed when the file ends. Comments are skipped entirely.
      if (!comment && entry != nullptr) {
        entry->value += '\n';
      }
      continue;
    }

    const auto indent = line.find_first_not_of(k_whitespace);
    if (entry != nullptr && indent > indent_level) {
      entry->value += '\n';
      entry->value += stripped;
      continue;
    }
    indent_level = indent;

    if (const auto header = section_header(stripped)) {
      entry = nullptr;
      section_name = std::string(*header);
      if (section_name == k_default_section) {
        section = &ini.m_defaults;  // configparser lets DEFAULT reappear; keys still must not
        continue;
      }
      if (ini.has_section(section_name)) {
        fail(source_name, line_number, "duplicate section [" + section_name + "]");
      }
      ini.m_sections.emplace_back(section_name, Section{});
      section = &ini.m_sections.back().second;
      continue;
    }
    if (section == nullptr) {
      fail(source_name, line_number,
           "this line is outside any section; a [section] header must come first");
    }

    const auto delimiter = stripped.find_first_of("=:");
    if (delimiter == std::string_view::npos) {
      fail(source_name, line_number, "expected 'key = value' or 'key: value'");
    }
    auto key = lower(rtrim(stripped.substr(0, delimiter)));
    if (key.empty()) {
      fail(source_name, line_number,
           "missing key name before '" + std::string(1, stripped[delimiter]) + "'");
    }
    if (const auto existing = section->find(key); existing != section->end()) {
      fail(source_name, line_number,
           "duplicate key '" + key + "' in section [" + section_name + "] (first set on line " +
               std::to_string(existing->second.line) + ")");
    }
    const auto value = trim(stripped.substr(delimiter + 1));
    entry = &section->emplace(std::move(key), Entry{std::string(value), line_number}).first->second;
  }

  // configparser joins continuation lines and strips only the end, so a value written as
  // "key =" followed by indented lines starts with '\n' (botocore relies on that).
  auto finish = [](Section& entries) {
    for (auto& [key, item] : entries) {
      item.value = std::string(rtrim(item.value));
    }
  };
  finish(ini.m_defaults);
  for (auto& named : ini.m_sections) {
    finish(named.second);
  }
  return ini;
}

IniFile IniFile::load(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw Fatal("cannot read " + path.string() + ": it is a directory");
  }
  const std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                             &std::fclose);
  if (!file) {
    throw Fatal("cannot read " + path.string() + ": " + std::strerror(errno));
  }
  std::string text;
  char buffer[8192];
  std::size_t count = 0;
  while ((count = std::fread(buffer, 1, sizeof buffer, file.get())) > 0) {
    text.append(buffer, count);
  }
  if (std::ferror(file.get()) != 0) {
    throw Fatal("cannot read " + path.string() + ": " + std::strerror(errno));
  }
  return parse(text, path.string());
}

const IniFile::Entry* IniFile::find(std::string_view section, std::string_view key) const {
  const auto lookup = [](const Section& entries, std::string_view name) -> const Entry* {
    const auto found = entries.find(name);
    return found == entries.end() ? nullptr : &found->second;
  };
  const auto lowered = lower(key);
  if (section == k_default_section) {
    return lookup(m_defaults, lowered);
  }
  const auto named = std::find_if(m_sections.begin(), m_sections.end(),
                                  [&](const auto& item) { return item.first == section; });
  if (named == m_sections.end()) {
    return nullptr;
  }
  if (const auto* own = lookup(named->second, lowered)) {
    return own;
  }
  return lookup(m_defaults, lowered);
}

std::string IniFile::interpolate(std::string_view section, std::string_view key, const Entry& entry,
                                 int depth) const {
  const auto error = [&](const std::string& message) {
    fail(m_source_name, entry.line,
         "[" + std::string(section) + "] " + std::string(key) + ": " + message);
  };
  if (depth > k_max_interpolation_depth) {
    error("%(...)s references nest deeper than " + std::to_string(k_max_interpolation_depth) +
          " levels (a reference loop?)");
  }
  std::string out;
  std::string_view rest = entry.value;
  while (!rest.empty()) {
    const auto percent = rest.find('%');
    out += rest.substr(0, percent);
    if (percent == std::string_view::npos) {
      break;
    }
    rest.remove_prefix(percent);
    if (rest.substr(0, 2) == "%%") {
      out += '%';
      rest.remove_prefix(2);
      continue;
    }
    if (rest.substr(0, 2) != "%(") {
      error("'%' must be followed by '%' or '(' (write '%%' for a literal '%')");
    }
    const auto close = rest.find(')');
    if (close == std::string_view::npos || close == 2 || rest.substr(close, 2) != ")s") {
      error("bad interpolation reference (expected %(name)s)");
    }
    const auto name = lower(rest.substr(2, close - 2));
    rest.remove_prefix(close + 2);
    const auto* referenced = find(section, name);
    if (referenced == nullptr) {
      error("%(" + name + ")s refers to a key that is not in [" + std::string(section) +
            "] or [DEFAULT]");
    }
    out += referenced->value.find('%') == std::string::npos
               ? referenced->value
               : interpolate(section, name, *referenced, depth + 1);
  }
  return out;
}

std::optional<std::string> IniFile::get(std::string_view section, std::string_view key) const {
  const auto* entry = find(section, key);
  if (entry == nullptr) {
    return std::nullopt;
  }
  auto value = interpolate(section, lower(key), *entry, 1);
  if (value.empty()) {
    return std::nullopt;
  }
  return value;
}

std::optional<std::string> IniFile::get_raw(std::string_view section, std::string_view key) const {
  const auto* entry = find(section, key);
  if (entry == nullptr || entry->value.empty()) {
    return std::nullopt;
  }
  return entry->value;
}

bool IniFile::has_section(std::string_view section) const {
  return std::any_of(m_sections.begin(), m_sections.end(),
                     [&](const auto& item) { return item.first == section; });
}

std::vector<std::string> IniFile::section_names() const {
  std::vector<std::string> names;
  names.reserve(m_sections.size());
  for (const auto& item : m_sections) {
    names.push_back(item.first);
  }
  return names;
}

std::vector<std::string> IniFile::keys(std::string_view section) const {
  std::vector<std::string> names;
  if (section != k_default_section && !has_section(section)) {
    return names;
  }
  for (const auto& item : m_defaults) {
    names.push_back(item.first);
  }
  if (section != k_default_section) {
    const auto named = std::find_if(m_sections.begin(), m_sections.end(),
                                    [&](const auto& item) { return item.first == section; });
    for (const auto& item : named->second) {
      names.push_back(item.first);
    }
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

}  // namespace gsync::util
