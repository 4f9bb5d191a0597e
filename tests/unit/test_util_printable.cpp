#include <gtest/gtest.h>

#include "util/printable.hpp"

using gsync::util::printable;

TEST(Printable, EscapesControlBytesOnly) {
  EXPECT_EQ(printable(std::string("a\nb\x1b[2J\0c", 9)), "a\\x0ab\\x1b[2J\\x00c");
  EXPECT_EQ(printable("plain key with space + % = \xC3\xBC"),
            "plain key with space + % = \xC3\xBC");
}
