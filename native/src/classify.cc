// Stage 1 kernels (see classify.h): scalar (portable), SSE2 (the x86-64 baseline), AVX2 (chosen at
// run time with __builtin_cpu_supports; compiled with a per-function target attribute, so the
// addon needs no global -mavx2) and NEON (arm64). Each kernel's constants are computed at compile
// time from the class predicates of classify.h, and static_asserts check them against those
// predicates for all 256 byte values, so no kernel restates a character table.
#include <atomic>
#include <cstring>

#include "classify.h"
#include "scanner.h"

#if defined(__x86_64__) || defined(_M_X64)
#define DT_X86_64 1
#include <emmintrin.h>
#if defined(__GNUC__) || defined(__clang__)
#define DT_AVX2 1
#include <immintrin.h>
#endif
#endif
#if defined(__aarch64__) || defined(_M_ARM64)
#define DT_NEON 1
#include <arm_neon.h>
#endif

namespace dt {
namespace detail {
namespace {

using Predicate = bool (*)(unsigned);

// ---- scalar: one table of the five classes, eight bytes at a time ------------------------------
constexpr uint8_t S_STRUCTURAL = 1, S_NOT_METRIC_KEY = 2, S_NOT_DIM_KEY = 4, S_NOT_DIGIT = 8, S_LF = 16;

struct ScalarTable {
  uint8_t t[256];
};

constexpr ScalarTable scalar_table() {
  ScalarTable s{};
  for (unsigned c = 0; c < 256; c++) {
    s.t[c] = static_cast<uint8_t>((is_structural(c) ? S_STRUCTURAL : 0) | (is_metric_key(c) ? 0 : S_NOT_METRIC_KEY) |
                                  (is_dim_key(c) ? 0 : S_NOT_DIM_KEY) | (is_digit(c) ? 0 : S_NOT_DIGIT) |
                                  (is_lf(c) ? S_LF : 0));
  }
  return s;
}
constexpr ScalarTable SCALAR = scalar_table();

// Bit 0 of each of the 8 bytes of x, as 8 bits (byte i -> bit i): the multiply moves byte i's bit
// to bit 56 + i, and no two partial products meet.
inline uint64_t pack8(uint64_t x) { return ((x & 0x0101010101010101ULL) * 0x0102040810204080ULL) >> 56; }

void classify_scalar(const uint8_t* data, size_t blocks, BlockMasks* out) {
  for (size_t k = 0; k < blocks; k++, data += 64) {
    uint64_t st = 0, nmk = 0, ndk = 0, nd = 0, lf = 0;
    for (unsigned g = 0; g < 8; g++) {
      uint64_t x = 0;
      for (unsigned i = 0; i < 8; i++) x |= static_cast<uint64_t>(SCALAR.t[data[g * 8 + i]]) << (8 * i);
      st |= pack8(x) << (8 * g);
      nmk |= pack8(x >> 1) << (8 * g);
      ndk |= pack8(x >> 2) << (8 * g);
      nd |= pack8(x >> 3) << (8 * g);
      lf |= pack8(x >> 4) << (8 * g);
    }
    out[k] = BlockMasks{st, nmk, ndk, nd, lf};
  }
}

// ---- nibble tables (AVX2, NEON): class = LO[c & 15] & HI[c >> 4], non-zero when c is a member --
// Each distinct row (the set of low nibbles that are members under one high nibble) gets a bit; HI
// holds the bit of its row, LO every bit whose row holds that low nibble. Exact by construction.
struct Nibbles {
  uint8_t lo[16];
  uint8_t hi[16];
  unsigned bits;   // bits used (at most 8)
  unsigned shift;  // first bit of this class inside a combined table
};

constexpr Nibbles nibbles_of(Predicate member) {
  Nibbles t{};
  uint16_t rows[16] = {};
  unsigned n = 0;
  for (unsigned h = 0; h < 16; h++) {
    uint16_t row = 0;
    for (unsigned l = 0; l < 16; l++)
      if (member(h * 16 + l)) row = static_cast<uint16_t>(row | (1u << l));
    if (row == 0) continue;
    unsigned k = 0;
    while (k < n && rows[k] != row) k++;
    if (k == n) rows[n++] = row;
    t.hi[h] = static_cast<uint8_t>(k < 8 ? 1u << k : 0);
  }
  for (unsigned l = 0; l < 16; l++)
    for (unsigned k = 0; k < n && k < 8; k++)
      if ((rows[k] >> l) & 1) t.lo[l] = static_cast<uint8_t>(t.lo[l] | (1u << k));
  t.bits = n;
  return t;
}

// Two classes in one table pair: b's bits move above a's.
constexpr Nibbles combine(Nibbles a, Nibbles b) {
  Nibbles t{};
  for (unsigned i = 0; i < 16; i++) {
    t.lo[i] = static_cast<uint8_t>(a.lo[i] | (b.lo[i] << a.bits));
    t.hi[i] = static_cast<uint8_t>(a.hi[i] | (b.hi[i] << a.bits));
  }
  t.bits = a.bits + b.bits;
  return t;
}

constexpr uint8_t bit_range(unsigned first, unsigned count) {
  return static_cast<uint8_t>(((1u << count) - 1) << first);
}

// Whether the table pair, tested with `mask`, gives exactly `member` for all 256 bytes.
constexpr bool nibbles_exact(const Nibbles& t, uint8_t mask, Predicate member) {
  for (unsigned c = 0; c < 256; c++)
    if (((t.lo[c & 15] & t.hi[c >> 4] & mask) != 0) != member(c)) return false;
  return true;
}

constexpr Nibbles N_STRUCTURAL = nibbles_of(is_structural);
constexpr Nibbles N_DIGIT = nibbles_of(is_digit);
// the structural and digit classes share a pair; metric and dimension key chars take one each
constexpr Nibbles PAIR_SD = combine(N_STRUCTURAL, N_DIGIT);
constexpr uint8_t PAIR_SD_STRUCTURAL = bit_range(0, N_STRUCTURAL.bits);
constexpr uint8_t PAIR_SD_DIGIT = bit_range(N_STRUCTURAL.bits, N_DIGIT.bits);
constexpr Nibbles PAIR_MK = nibbles_of(is_metric_key);
constexpr Nibbles PAIR_DK = nibbles_of(is_dim_key);
static_assert(PAIR_SD.bits <= 8 && PAIR_MK.bits <= 8 && PAIR_DK.bits <= 8, "a class needs more than 8 nibble rows");
static_assert(nibbles_exact(PAIR_SD, PAIR_SD_STRUCTURAL, is_structural), "structural nibble table");
static_assert(nibbles_exact(PAIR_SD, PAIR_SD_DIGIT, is_digit), "digit nibble table");
static_assert(nibbles_exact(PAIR_MK, 0xff, is_metric_key), "metric key nibble table");
static_assert(nibbles_exact(PAIR_DK, 0xff, is_dim_key), "dimension key nibble table");

#if defined(DT_X86_64)
// ---- SSE2 (no byte shuffle): a class is a union of byte ranges, each tested with compares -------
struct Ranges {
  uint8_t lo[32];
  uint8_t hi[32];
  unsigned n;
};

constexpr Ranges ranges_of(Predicate member) {
  Ranges r{};
  unsigned c = 0;
  while (c < 256) {
    if (!member(c)) {
      c++;
      continue;
    }
    unsigned e = c;
    while (e + 1 < 256 && member(e + 1)) e++;
    if (r.n < 32) {
      r.lo[r.n] = static_cast<uint8_t>(c);
      r.hi[r.n] = static_cast<uint8_t>(e);
    }
    r.n++;
    c = e + 1;
  }
  return r;
}

constexpr bool ranges_exact(const Ranges& r, Predicate member) {
  if (r.n > 32) return false;
  for (unsigned c = 0; c < 256; c++) {
    bool in = false;
    for (unsigned k = 0; k < r.n; k++) in = in || (c >= r.lo[k] && c <= r.hi[k]);
    if (in != member(c)) return false;
  }
  return true;
}

constexpr Ranges R_STRUCTURAL = ranges_of(is_structural);
constexpr Ranges R_METRIC_KEY = ranges_of(is_metric_key);
constexpr Ranges R_DIM_KEY = ranges_of(is_dim_key);
constexpr Ranges R_DIGIT = ranges_of(is_digit);
static_assert(ranges_exact(R_STRUCTURAL, is_structural) && ranges_exact(R_METRIC_KEY, is_metric_key) &&
                  ranges_exact(R_DIM_KEY, is_dim_key) && ranges_exact(R_DIGIT, is_digit),
              "byte ranges");

// 0xff in each byte of x that lies in one of the ranges. The loop has a constant trip count over
// constant tables, so the compiler unrolls it into straight compares.
template <const Ranges& R>
inline __m128i in_ranges(__m128i x) {
  __m128i acc = _mm_setzero_si128();
  for (unsigned k = 0; k < R.n; k++) {
    const uint8_t lo = R.lo[k], hi = R.hi[k];
    __m128i hit;
    if (lo == hi) {
      hit = _mm_cmpeq_epi8(x, _mm_set1_epi8(static_cast<char>(lo)));
    } else if (lo == 0) {
      hit = _mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(static_cast<char>(hi))), x);
    } else if (hi == 255) {
      hit = _mm_cmpeq_epi8(_mm_max_epu8(x, _mm_set1_epi8(static_cast<char>(lo))), x);
    } else {
      const __m128i s = _mm_sub_epi8(x, _mm_set1_epi8(static_cast<char>(lo)));
      hit = _mm_cmpeq_epi8(_mm_min_epu8(s, _mm_set1_epi8(static_cast<char>(hi - lo))), s);
    }
    acc = _mm_or_si128(acc, hit);
  }
  return acc;
}

inline uint64_t mask16(__m128i v) { return static_cast<uint32_t>(_mm_movemask_epi8(v)) & 0xffffu; }

void classify_sse2(const uint8_t* data, size_t blocks, BlockMasks* out) {
  const __m128i lf = _mm_set1_epi8(static_cast<char>(LF));
  for (size_t k = 0; k < blocks; k++, data += 64) {
    uint64_t st = 0, mk = 0, dk = 0, dg = 0, nl = 0;
    for (unsigned q = 0; q < 4; q++) {
      const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + 16 * q));
      st |= mask16(in_ranges<R_STRUCTURAL>(x)) << (16 * q);
      mk |= mask16(in_ranges<R_METRIC_KEY>(x)) << (16 * q);
      dk |= mask16(in_ranges<R_DIM_KEY>(x)) << (16 * q);
      dg |= mask16(in_ranges<R_DIGIT>(x)) << (16 * q);
      nl |= mask16(_mm_cmpeq_epi8(x, lf)) << (16 * q);
    }
    out[k] = BlockMasks{st, ~mk, ~dk, ~dg, nl};
  }
}
#endif

#if defined(DT_AVX2)
// ---- AVX2: nibble lookups with vpshufb, 32 bytes at a time --------------------------------------
#define DT_TARGET_AVX2 __attribute__((target("avx2")))

DT_TARGET_AVX2 inline __m256i table32(const uint8_t* t16) {
  return _mm256_broadcastsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(t16)));
}

struct Avx2Tables {
  __m256i sd_lo, sd_hi, mk_lo, mk_hi, dk_lo, dk_hi, low4, st_bits, dg_bits, lf;
};

DT_TARGET_AVX2 inline void avx2_half(const Avx2Tables& t, __m256i x, uint32_t* m) {
  const __m256i zero = _mm256_setzero_si256();
  const __m256i lo = _mm256_and_si256(x, t.low4);
  const __m256i hi = _mm256_and_si256(_mm256_srli_epi16(x, 4), t.low4);
  const __m256i sd = _mm256_and_si256(_mm256_shuffle_epi8(t.sd_lo, lo), _mm256_shuffle_epi8(t.sd_hi, hi));
  const __m256i mk = _mm256_and_si256(_mm256_shuffle_epi8(t.mk_lo, lo), _mm256_shuffle_epi8(t.mk_hi, hi));
  const __m256i dk = _mm256_and_si256(_mm256_shuffle_epi8(t.dk_lo, lo), _mm256_shuffle_epi8(t.dk_hi, hi));
  m[0] = ~static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_and_si256(sd, t.st_bits), zero)));
  m[1] = static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(mk, zero)));
  m[2] = static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(dk, zero)));
  m[3] = static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_and_si256(sd, t.dg_bits), zero)));
  m[4] = static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(x, t.lf)));
}

DT_TARGET_AVX2 void classify_avx2(const uint8_t* data, size_t blocks, BlockMasks* out) {
  Avx2Tables t;
  t.sd_lo = table32(PAIR_SD.lo);
  t.sd_hi = table32(PAIR_SD.hi);
  t.mk_lo = table32(PAIR_MK.lo);
  t.mk_hi = table32(PAIR_MK.hi);
  t.dk_lo = table32(PAIR_DK.lo);
  t.dk_hi = table32(PAIR_DK.hi);
  t.low4 = _mm256_set1_epi8(0x0f);
  t.st_bits = _mm256_set1_epi8(static_cast<char>(PAIR_SD_STRUCTURAL));
  t.dg_bits = _mm256_set1_epi8(static_cast<char>(PAIR_SD_DIGIT));
  t.lf = _mm256_set1_epi8(static_cast<char>(LF));
  for (size_t k = 0; k < blocks; k++, data += 64) {
    uint32_t a[5], b[5];
    avx2_half(t, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(data)), a);
    avx2_half(t, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(data + 32)), b);
    out[k] = BlockMasks{a[0] | static_cast<uint64_t>(b[0]) << 32, a[1] | static_cast<uint64_t>(b[1]) << 32,
                        a[2] | static_cast<uint64_t>(b[2]) << 32, a[3] | static_cast<uint64_t>(b[3]) << 32,
                        a[4] | static_cast<uint64_t>(b[4]) << 32};
  }
}

bool cpu_has_avx2() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2");
}
#endif

#if defined(DT_NEON)
// ---- NEON: nibble lookups with vqtbl1q, 16 bytes at a time; movemask as in simdjson -------------
inline uint64_t neon_mask64(uint8x16_t a, uint8x16_t b, uint8x16_t c, uint8x16_t d) {
  static const uint8_t BITS[16] = {1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128};
  const uint8x16_t bit = vld1q_u8(BITS);
  uint8x16_t s0 = vpaddq_u8(vandq_u8(a, bit), vandq_u8(b, bit));
  const uint8x16_t s1 = vpaddq_u8(vandq_u8(c, bit), vandq_u8(d, bit));
  s0 = vpaddq_u8(s0, s1);
  s0 = vpaddq_u8(s0, s0);
  return vgetq_lane_u64(vreinterpretq_u64_u8(s0), 0);
}

void classify_neon(const uint8_t* data, size_t blocks, BlockMasks* out) {
  const uint8x16_t sd_lo = vld1q_u8(PAIR_SD.lo), sd_hi = vld1q_u8(PAIR_SD.hi);
  const uint8x16_t mk_lo = vld1q_u8(PAIR_MK.lo), mk_hi = vld1q_u8(PAIR_MK.hi);
  const uint8x16_t dk_lo = vld1q_u8(PAIR_DK.lo), dk_hi = vld1q_u8(PAIR_DK.hi);
  const uint8x16_t low4 = vdupq_n_u8(0x0f), st_bits = vdupq_n_u8(PAIR_SD_STRUCTURAL);
  const uint8x16_t dg_bits = vdupq_n_u8(PAIR_SD_DIGIT), lf = vdupq_n_u8(LF);
  for (size_t k = 0; k < blocks; k++, data += 64) {
    uint8x16_t st[4], mk[4], dk[4], dg[4], nl[4];
    for (unsigned q = 0; q < 4; q++) {
      const uint8x16_t x = vld1q_u8(data + 16 * q);
      const uint8x16_t lo = vandq_u8(x, low4);
      const uint8x16_t hi = vshrq_n_u8(x, 4);
      const uint8x16_t sd = vandq_u8(vqtbl1q_u8(sd_lo, lo), vqtbl1q_u8(sd_hi, hi));
      st[q] = vtstq_u8(sd, st_bits);
      dg[q] = vtstq_u8(sd, dg_bits);
      mk[q] = vandq_u8(vqtbl1q_u8(mk_lo, lo), vqtbl1q_u8(mk_hi, hi));
      mk[q] = vtstq_u8(mk[q], mk[q]);
      dk[q] = vandq_u8(vqtbl1q_u8(dk_lo, lo), vqtbl1q_u8(dk_hi, hi));
      dk[q] = vtstq_u8(dk[q], dk[q]);
      nl[q] = vceqq_u8(x, lf);
    }
    out[k] = BlockMasks{neon_mask64(st[0], st[1], st[2], st[3]), ~neon_mask64(mk[0], mk[1], mk[2], mk[3]),
                        ~neon_mask64(dk[0], dk[1], dk[2], dk[3]), ~neon_mask64(dg[0], dg[1], dg[2], dg[3]),
                        neon_mask64(nl[0], nl[1], nl[2], nl[3])};
  }
}
#endif

struct Choice {
  ClassifyFn fn;
  const char* name;
};

Choice choose(Kernel kernel) {
  switch (kernel) {
    case Kernel::Scalar:
      return {classify_scalar, "scalar"};
#if defined(DT_X86_64)
    case Kernel::Sse2:
      return {classify_sse2, "sse2"};
#endif
#if defined(DT_AVX2)
    case Kernel::Avx2:
      if (cpu_has_avx2()) return {classify_avx2, "avx2"};
      return {nullptr, nullptr};
#endif
#if defined(DT_NEON)
    case Kernel::Neon:
      return {classify_neon, "neon"};
#endif
    case Kernel::Auto: {
#if defined(DT_AVX2)
      if (cpu_has_avx2()) return {classify_avx2, "avx2"};
#endif
#if defined(DT_X86_64)
      return {classify_sse2, "sse2"};
#elif defined(DT_NEON)
      return {classify_neon, "neon"};
#else
      return {classify_scalar, "scalar"};
#endif
    }
    default:
      return {nullptr, nullptr};
  }
}

// Chosen once (or by use_kernel); relaxed atomics because worker threads may scan concurrently.
std::atomic<ClassifyFn> g_kernel{nullptr};
std::atomic<const char*> g_name{nullptr};

void install(const Choice& c) {
  g_name.store(c.name, std::memory_order_relaxed);
  g_kernel.store(c.fn, std::memory_order_relaxed);
}

}  // namespace

ClassifyFn classify_kernel() {
  ClassifyFn fn = g_kernel.load(std::memory_order_relaxed);
  if (fn != nullptr) return fn;
  const Choice c = choose(Kernel::Auto);
  install(c);
  return c.fn;
}

}  // namespace detail

const char* kernel_name() {
  detail::classify_kernel();
  return detail::g_name.load(std::memory_order_relaxed);
}

bool use_kernel(Kernel kernel) {
  const detail::Choice c = detail::choose(kernel);
  if (c.fn == nullptr) return false;
  detail::install(c);
  return true;
}

}  // namespace dt
