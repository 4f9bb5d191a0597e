#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gsync::util {

// An INI file read the way Python's configparser.ConfigParser() reads it with default
// settings, because config.ini is shared with a Python pipeline and must mean the same thing
// to both programs (and ~/.aws/* files are read by botocore with the same parser):
// - "[name]" starts a section (case-sensitive); "[DEFAULT]" supplies defaults to every section;
// - "key = value" or "key: value" (the first '=' or ':' splits), keys case-insensitive;
// - whole-line comments start with '#' or ';'; inline comments are NOT stripped;
// - a line indented deeper than its key continues the value (joined with '\n');
// - %(name)s interpolation from the same section or DEFAULT, "%%" for a literal '%';
// - duplicate sections or keys, lines outside a section and lines without a delimiter are
//   errors, reported as "SOURCE:LINE: message".
// Values are interpolated lazily in get(), as configparser does, so a broken reference in a
// section this tool never reads does not stop it.
class IniFile {
 public:
  // Throws gsync::Fatal("SOURCE:LINE: message") on a syntax error.
  static IniFile parse(std::string_view text, std::string_view source_name);
  // Throws gsync::Fatal naming the file when it cannot be read or parsed.
  static IniFile load(const std::filesystem::path& path);

  // The interpolated value, or nullopt when the section or key is missing or the value is
  // empty ("empty value means unset"). Throws gsync::Fatal("SOURCE:LINE: ...") when the value
  // has a broken %-reference. Section "DEFAULT" reads the defaults themselves.
  std::optional<std::string> get(std::string_view section, std::string_view key) const;
  // The value as written (continuation lines joined, no interpolation), like
  // RawConfigParser; botocore reads ~/.aws files this way. Empty values are nullopt too.
  std::optional<std::string> get_raw(std::string_view section, std::string_view key) const;

  // DEFAULT is not a section here, as in configparser.
  bool has_section(std::string_view section) const;
  // Section names in file order, without DEFAULT.
  std::vector<std::string> section_names() const;
  // Lower-cased keys of a section including inherited DEFAULT keys, sorted; empty if missing.
  std::vector<std::string> keys(std::string_view section) const;

  const std::string& source_name() const { return m_source_name; }

 private:
  struct Entry {
    std::string value;
    std::size_t line = 0;
  };
  using Section = std::map<std::string, Entry, std::less<>>;

  // nullptr when the section does not exist or lacks the key (DEFAULT included).
  const Entry* find(std::string_view section, std::string_view key) const;
  std::string interpolate(std::string_view section, std::string_view key, const Entry& entry,
                          int depth) const;

  std::string m_source_name;
  Section m_defaults;
  // A vector keeps the file order for section_names(); files have few sections.
  std::vector<std::pair<std::string, Section>> m_sections;
};

}  // namespace gsync::util
