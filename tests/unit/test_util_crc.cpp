#include <string>

#include <gtest/gtest.h>

#include "util/crc.hpp"

namespace gsync::util {
namespace {

// The catalogue's check values: each CRC of the nine ASCII digits "123456789".
constexpr const char* k_check_input = "123456789";

TEST(UtilCrc, Crc32MatchesItsCheckValue) {
  Crc32 crc;
  crc.update(k_check_input);
  EXPECT_EQ(crc.value(), 0xCBF43926u);
}

TEST(UtilCrc, Crc32cMatchesItsCheckValue) {
  Crc32c crc;
  crc.update(k_check_input);
  EXPECT_EQ(crc.value(), 0xE3069283u);
}

TEST(UtilCrc, Crc64NvmeMatchesItsCheckValue) {
  Crc64Nvme crc;
  crc.update(k_check_input);
  EXPECT_EQ(crc.value(), 0xAE8B14860A799888u);
}

TEST(UtilCrc, PiecesGiveTheSameValueAsTheWhole) {
  const std::string data(10000, 'x');
  Crc32c whole;
  whole.update(data);
  Crc32c pieces;
  for (std::size_t i = 0; i < data.size(); i += 777) {
    pieces.update(std::string_view(data).substr(i, 777));
  }
  EXPECT_EQ(whole.value(), pieces.value());
}

TEST(UtilCrc, EmptyInputIsZero) {
  EXPECT_EQ(Crc32().value(), 0u);
  EXPECT_EQ(Crc64Nvme().value(), 0u);
}

TEST(UtilCrc, OneChangedByteChangesTheValue) {
  Crc32 a;
  a.update("glacier");
  Crc32 b;
  b.update("glaciar");
  EXPECT_NE(a.value(), b.value());
}

}  // namespace
}  // namespace gsync::util
