#include <gtest/gtest.h>

#include "util/error.hpp"

TEST(Fatal, CarriesItsExitCode) {
  const gsync::Fatal fatal("no credentials", gsync::ExitCode::usage_or_setup);
  EXPECT_EQ(fatal.code(), gsync::ExitCode::usage_or_setup);
  EXPECT_STREQ(fatal.what(), "no credentials");
}
