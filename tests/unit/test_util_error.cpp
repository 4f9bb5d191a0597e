#include "util/error.hpp"

#include <gtest/gtest.h>

TEST(Fatal, CarriesItsExitCode) {
  const gsync::Fatal fatal("no credentials", gsync::ExitCode::usage_or_setup);
  EXPECT_EQ(fatal.code(), gsync::ExitCode::usage_or_setup);
  EXPECT_STREQ(fatal.what(), "no credentials");
}
