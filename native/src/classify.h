// Stage 1 of the fused scan: classifies 64-byte blocks of input into bit masks (bit i of a mask is
// byte i of the block), in the style of simdjson. Every class is derived at compile time from the
// generated CHAR_CLASS table and named bytes of generated.h, and static_asserts prove each kernel's
// tables equal to that derivation, byte for byte.
#pragma once

#include <cstddef>
#include <cstdint>

#include "generated.h"

namespace dt {
namespace detail {

// The masks of one 64-byte block. Dots are not structural: the acceptor checks keys and numbers
// with mask arithmetic over the whole token instead of stopping at every '.'.
struct BlockMasks {
  uint64_t structural;         // bytes that end a plain run: C_BARE_STOP (space , = " \ controls >= 0x80)
  uint64_t not_metric_key;     // bytes outside C_METRIC_KEY, other than '.'
  uint64_t not_dim_key;        // bytes outside C_DIM_KEY, other than '.'
  uint64_t not_dim_key_start;  // bytes outside C_DIM_KEY_START
  uint64_t not_digit;          // bytes outside C_DIGIT
  uint64_t dot;
  uint64_t minus;
  uint64_t lf;                 // line feeds
};

// The classes, one predicate each (the scalar kernel and the static checks use them directly).
constexpr bool is_structural(unsigned c) { return (CHAR_CLASS[c] & C_BARE_STOP) != 0; }
constexpr bool is_metric_key_or_dot(unsigned c) { return (CHAR_CLASS[c] & C_METRIC_KEY) != 0 || c == DOT; }
constexpr bool is_dim_key_or_dot(unsigned c) { return (CHAR_CLASS[c] & C_DIM_KEY) != 0 || c == DOT; }
constexpr bool is_dim_key_start(unsigned c) { return (CHAR_CLASS[c] & C_DIM_KEY_START) != 0; }
constexpr bool is_digit(unsigned c) { return (CHAR_CLASS[c] & C_DIGIT) != 0; }
constexpr bool is_dot(unsigned c) { return c == DOT; }
constexpr bool is_minus(unsigned c) { return c == MINUS; }
constexpr bool is_lf(unsigned c) { return c == LF; }

// Classifies `blocks` whole blocks at data (64 * blocks readable bytes) into out[0 .. blocks).
using ClassifyFn = void (*)(const uint8_t* data, size_t blocks, BlockMasks* out);

// The kernel in use, chosen on first use: AVX2 where the CPU has it, else SSE2 on x86-64, NEON on
// arm64; nullptr elsewhere, where scan_lines runs the reference loop (the portable scalar kernel
// is slower than that loop; tests select it with use_kernel to check it all the same).
ClassifyFn classify_kernel();

}  // namespace detail
}  // namespace dt
