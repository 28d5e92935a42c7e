// The fused scan: scan_lines in one pass over the region, without a second pass over plain lines
// and without a memchr per line.
//
// Stage 1 (classify.cc) turns 64-byte blocks into bit masks: structural bytes (space , = " \ and
// every control or non-ASCII byte), bytes outside the metric key, dimension key, dimension key
// start and digit classes, dots, minus signs and line feeds. The masks live in a ring of
// RING_BLOCKS blocks, filled ahead of the line being read, so they stay in L1 cache next to the
// bytes.
//
// Stage 2 (Fused::accept) walks each line over its structural positions (tzcnt and clear-lowest-
// bit on the structural mask) and checks the tokens between them with mask arithmetic. It is an
// acceptor, like the TypeScript fused pass (src/metrics/region.ts): it counts a line only when it
// proves, with the reference's own arithmetic, that the line is a valid data line (and computes
// the key rewrite of spec §3, as the reference does); every other line (an error, metadata, blank
// spaces, non-ASCII bytes, a bare decimal point, a huge exponent, two spaces in a row, ...) goes
// whole to the reference scanner (scan_line in scanner.cc), which judges it. So the fused scan
// cannot change a verdict; an unusual line is only read twice.
//
// What the reference leaves behind for later lines is kept too: its Line state carries the last
// parsed payload type and numbers into the records of later lines (see reference.h), so an
// accepted line sets the payload type, and its number is parsed lazily, only if a later line in
// this call reaches the reference scanner. The results equal scan_lines_reference's field for
// field; native/test/driver.cc and native/fuzz/fuzz_scanner.cc check that on every kernel.
//
// Reads: stage 1 reads whole blocks only inside [start, end) and copies the last partial block
// into a zero-padded buffer; stage 2 reads a line's bytes up to its LF, which it has found in the
// masks before it starts; the segment after the last LF goes to the reference scanner.
#include <algorithm>
#include <cstring>

#include "classify.h"
#include "reference.h"
#include "scanner.h"

#if defined(_MSC_VER) && !defined(__clang__)
#include <intrin.h>
#endif

namespace dt {
namespace {

using detail::BlockMasks;
using detail::Line;

constexpr size_t RING_BLOCKS = 256;  // 16 KB of input classified ahead at most; 16 KB of masks
constexpr size_t RING_MASK = RING_BLOCKS - 1;
constexpr size_t FILL_BLOCKS = 64;   // one refill classifies 4 KB
constexpr size_t NONE = ~static_cast<size_t>(0);

// Digits of a number computed here exactly (below 10^15 an integer is exact in a double, and the
// reference's own loops give the same double); longer numbers go to the reference.
constexpr size_t MAX_EXACT_DIGITS = 15;
// A payload number with an exponent: at most this many exponent digits, and integer digits plus a
// positive exponent at most MAX_DECIMAL_EXPONENT (so below 10^300: finite without computing it).
constexpr size_t MAX_EXPONENT_DIGITS = 3;
constexpr size_t MAX_DECIMAL_EXPONENT = 300;
constexpr double POW10[MAX_EXACT_DIGITS + 1] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                                1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};

inline unsigned ctz64(uint64_t x) {
#if defined(_MSC_VER) && !defined(__clang__)
  unsigned long i;
  _BitScanForward64(&i, x);
  return static_cast<unsigned>(i);
#else
  return static_cast<unsigned>(__builtin_ctzll(x));
#endif
}

#if defined(__GNUC__) || defined(__clang__)
#define DT_LIKELY(x) __builtin_expect(!!(x), 1)
#define DT_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define DT_INLINE inline __attribute__((always_inline))
#else
#define DT_LIKELY(x) (x)
#define DT_UNLIKELY(x) (x)
#define DT_INLINE __forceinline
#endif

// A position in the structural mask: the block, and its structural bits not yet taken. The
// acceptor keeps its own copy in registers (every function that takes it is inlined).
struct Cursor {
  size_t block;
  uint64_t bits;
};

// What an accepted line needs for its record and for the state the reference would leave.
struct Accepted {
  size_t key_end;
  size_t line_end;  // the LF, or the CR before it when a CR is ignored
  int32_t payload_type;
  int32_t key_suffix;
  int32_t warning;
  size_t number_start, number_end;  // the gauge value or count delta (not for summaries)
  double min, max, sum, count;      // a summary's fields
};

// The options' length and count limits as integers, so that the acceptor compares integers (an
// unsigned 64-bit integer to double conversion is several instructions and a branch on x86-64).
// The reference compares a count n (below 2^53) with a double limit x >= 0: n > x exactly when
// n > floor(x), and n < x exactly when n < ceil(x). A limit the integers cannot express the same
// way (negative, or too large to be reached by one line) leaves the whole call to the reference.
struct Limits {
  size_t key_min, key_max, dim_key_max, dim_value_max, dimensions_max, line_max;
  bool usable;

  static size_t at_most(double x, bool& usable) {
    if (x != x || x >= 9007199254740992.0) return ~static_cast<size_t>(0);  // never exceeded (n < 2^53)
    if (x < 0) usable = false;  // always exceeded: not expressible
    return x < 0 ? 0 : static_cast<size_t>(x);  // floor
  }
  static size_t at_least(double x, bool& usable) {
    if (x != x || x <= 0) return 0;  // never short
    if (x >= 9007199254740992.0) {
      usable = false;  // always short: not expressible
      return 0;
    }
    const size_t f = static_cast<size_t>(x);
    return static_cast<double>(f) == x ? f : f + 1;  // ceil
  }
  explicit Limits(const Options& o) : usable(true) {
    key_min = at_least(o.metric_key_min_length, usable);
    key_max = at_most(o.metric_key_max_length, usable);
    dim_key_max = at_most(o.dimension_key_max_length, usable);
    dim_value_max = at_most(o.dimension_value_max_length, usable);
    dimensions_max = at_most(o.max_dimensions, usable);
    line_max = at_most(o.max_line_length, usable);
  }
};

// The summary's field words of generated.h, in the strict order.
constexpr const char* SUMMARY_WORDS[4] = {W_SUMMARY_MIN, W_SUMMARY_MAX, W_SUMMARY_SUM, W_SUMMARY_COUNT};
constexpr size_t SUMMARY_LENGTHS[4] = {W_SUMMARY_MIN_LEN, W_SUMMARY_MAX_LEN, W_SUMMARY_SUM_LEN, W_SUMMARY_COUNT_LEN};

// Whether the word's n bytes stand at b[at] before line_end (a byte loop: with the constant words
// of generated.h it unrolls into a few compares, where memcmp would be a call).
DT_INLINE bool has_word(const uint8_t* b, size_t at, size_t line_end, const char* word, size_t n) {
  if (line_end - at < n) return false;
  for (size_t i = 0; i < n; i++)
    if (b[at + i] != static_cast<uint8_t>(word[i])) return false;
  return true;
}

inline bool ends_with_count_suffix(const uint8_t* b, size_t start, size_t end) {
  // `.count` or `_count` (spec §3), as in scanner.cc
  if (end - start < W_COUNT_SUFFIX_WORD_LEN + 1) return false;
  const size_t s = end - W_COUNT_SUFFIX_WORD_LEN - 1;
  if (b[s] != DOT && b[s] != UNDERSCORE) return false;
  for (size_t i = 0; i < W_COUNT_SUFFIX_WORD_LEN; i++)
    if (b[s + 1 + i] != static_cast<uint8_t>(W_COUNT_SUFFIX_WORD[i])) return false;
  return true;
}

// Structural bytes in a word: the acceptor takes that many structural positions when it has matched
// the word byte for byte (computed at compile time for the words of generated.h).
constexpr size_t structural_count(const char* word, size_t n) {
  size_t k = 0;
  for (size_t i = 0; i < n; i++) k += detail::is_structural(static_cast<uint8_t>(word[i])) ? 1 : 0;
  return k;
}
constexpr size_t GAUGE_COMMA_STRUCTURALS = structural_count(W_GAUGE, W_GAUGE_LEN) + 1;
constexpr size_t COUNT_DELTA_STRUCTURALS =
    structural_count(W_COUNT, W_COUNT_LEN) + 1 + structural_count(W_DELTA_FIELD, W_DELTA_FIELD_LEN);
constexpr size_t SUMMARY_STRUCTURALS[4] = {
    structural_count(W_SUMMARY_MIN, W_SUMMARY_MIN_LEN), structural_count(W_SUMMARY_MAX, W_SUMMARY_MAX_LEN),
    structural_count(W_SUMMARY_SUM, W_SUMMARY_SUM_LEN), structural_count(W_SUMMARY_COUNT, W_SUMMARY_COUNT_LEN)};

constexpr uint64_t POW10_INT[MAX_EXACT_DIGITS + 1] = {1,
                                                      10,
                                                      100,
                                                      1000,
                                                      10000,
                                                      100000,
                                                      1000000,
                                                      10000000,
                                                      100000000,
                                                      1000000000,
                                                      10000000000,
                                                      100000000000,
                                                      1000000000000,
                                                      10000000000000,
                                                      100000000000000,
                                                      1000000000000000};

#if defined(__BYTE_ORDER__) && defined(__ORDER_LITTLE_ENDIAN__)
constexpr bool LITTLE_ENDIAN_HOST = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__;
#elif defined(_MSC_VER)
constexpr bool LITTLE_ENDIAN_HOST = true;  // every Windows target is little-endian
#else
constexpr bool LITTLE_ENDIAN_HOST = false;  // unknown: the byte loop
#endif

// The value of n <= 8 digit characters in x (the first in the lowest byte, bytes past n ignored):
// the SWAR conversion of simdjson and fast_float, no branch per digit.
DT_INLINE uint64_t swar_digits(uint64_t x, size_t n) {
  x <<= 8 * (8 - n);  // the n digits to the top: the bytes below them read as leading zeros
  x &= 0x0F0F0F0F0F0F0F0FULL;
  x = (x * 2561) >> 8;
  x = ((x & 0x00FF00FF00FF00FFULL) * 6553601) >> 16;
  return ((x & 0x0000FFFF0000FFFFULL) * 42949672960001ULL) >> 32;
}

// The n <= 8 digits at b[s, s + n) as an integer: by SWAR when 8 bytes from s lie inside the
// region (avail) and the host is little-endian, else one at a time. Exact either way.
DT_INLINE uint64_t eight_digits(const uint8_t* b, size_t s, size_t n, size_t avail) {
  if (n == 0) return 0;
  if (LITTLE_ENDIAN_HOST && s + 8 <= avail) {
    uint64_t x;
    std::memcpy(&x, b + s, 8);
    return swar_digits(x, n);
  }
  uint64_t v = 0;
  for (size_t i = s; i < s + n; i++) v = v * 10 + static_cast<unsigned>(b[i] - '0');
  return v;
}

// The digits b[s, e) (all digits, at most MAX_EXACT_DIGITS <= 16) as an exact integer.
DT_INLINE uint64_t digits_value(const uint8_t* b, size_t s, size_t e, size_t avail) {
  const size_t n = e - s;
  if (n <= 8) return eight_digits(b, s, n, avail);
  return eight_digits(b, s, n - 8, avail) * POW10_INT[8] + eight_digits(b, e - 8, 8, avail);
}

class Fused {
 public:
  Fused(const uint8_t* buf, size_t start, size_t fused_end, const Options& o, detail::ClassifyFn classify)
      : buf_(buf),
        start_(start),
        b_(buf + start),
        n_(fused_end - start),
        nblocks_((fused_end - start + 63) / 64),
        o_(o),
        limits_(o),
        classify_(classify) {
    // the ring is written by the kernel, through a pointer the compiler cannot follow; one zeroed
    // entry keeps its uninitialized-use analysis quiet (every entry read was classified before)
    ring_[0] = BlockMasks{};
  }

  // Whether the options' limits can be compared as integers (else the reference scans).
  bool usable() const { return limits_.usable; }

  // Scans the fused part (whole lines, the last one ending with the region's last LF).
  void run(Line& v, uint32_t first_line, Results& results, size_t& count, uint32_t& lines, uint32_t& skipped,
           size_t& pos_out) {
    const size_t capacity = results.record_capacity;
    size_t pos = 0;
    Accepted a{};
    if (n_ != 0) restart(0);
    while (pos < n_) {
      if (count == capacity) break;
      const size_t ls = pos;
      const size_t line_block = ls >> 6;
      size_t le = next_lf(line_block);
      if (DT_UNLIKELY(le == NONE)) {
        // a line longer than the ring: the reference finds its end and judges it
        le = static_cast<size_t>(static_cast<const uint8_t*>(std::memchr(b_ + ls, LF, n_ - ls)) - b_);
        judge(v, first_line + lines, ls, le, results, count, skipped);
        lines++;
        pos = le + 1;
        if (pos < n_) restart(pos);
        continue;
      }
      const uint32_t line_number = first_line + lines;
      lines++;
      pos = le + 1;
      if (le == ls) {
        next_structural(st_);  // this LF: an empty line is blank (spec §1)
        continue;
      }
      if (DT_LIKELY(accept(ls, le, a))) {
        if (DT_LIKELY(a.warning == 0 && o_.skip_valid)) {
          skipped++;  // validate-only: the count is all the caller needs of this line
          remember(v, a);
        } else if (o_.want_numbers) {
          judge(v, line_number, ls, le, results, count, skipped);  // the reference fills every number
        } else {
          remember(v, a);
          v.kind = KIND_DATA;
          v.error = 0;
          v.warning = a.warning;
          v.key_suffix = a.key_suffix;
          v.key_end = start_ + a.key_end;
          detail::write_record(buf_, o_, v, line_number, start_ + ls, start_ + le, start_ + a.line_end,
                               results.records, results.numbers, count);
          count++;
        }
      } else {
        seek_structural(st_, le + 1);
        judge(v, line_number, ls, le, results, count, skipped);
      }
    }
    pos_out = start_ + pos;
  }

  // A line for the reference: brings the carried state up to date first, then scans and records.
  void judge(Line& v, uint32_t line_number, size_t ls, size_t le, Results& results, size_t& count, uint32_t& skipped) {
    settle(v);
    size_t line_end = start_ + le;
    detail::scan_line(o_, v, buf_, start_ + ls, line_end);
    if (detail::wants_record(o_, v)) {
      detail::write_record(buf_, o_, v, line_number, start_ + ls, start_ + le, line_end, results.records,
                           results.numbers, count);
      count++;
    } else if (v.kind == KIND_DATA) {
      skipped++;
    }
  }

  // The value the reference would have left in v.a for the last accepted gauge or count line.
  void settle(Line& v) {
    if (!pending_number_) return;
    v.a = parse_number(b_, pending_start_, pending_end_, o_.allow_bare_decimal_point);
    pending_number_ = false;
  }

 private:
  const uint8_t* const buf_;
  const size_t start_;
  const uint8_t* const b_;  // buf_ + start_: positions below are relative to it
  const size_t n_;          // bytes of the fused part (it ends with an LF)
  const size_t nblocks_;
  const Options& o_;
  const Limits limits_;
  const detail::ClassifyFn classify_;
  size_t filled_ = 0;  // blocks [.., filled_) are classified (the last RING_BLOCKS of them are held)
  BlockMasks ring_[RING_BLOCKS];
  Cursor st_{0, 0};  // structural cursor between lines
  size_t lf_block_ = 0;  // line feed cursor: the block, and its LF bits not yet taken
  uint64_t lf_bits_ = 0;
  bool pending_number_ = false;
  size_t pending_start_ = 0, pending_end_ = 0;

  void remember(Line& v, const Accepted& a) {
    v.payload_type = a.payload_type;
    if (a.payload_type == PT_SUMMARY) {
      v.a = a.min;
      v.b = a.max;
      v.c = a.sum;
      v.d = a.count;
      pending_number_ = false;
    } else {
      pending_number_ = true;
      pending_start_ = a.number_start;
      pending_end_ = a.number_end;
    }
  }

  const BlockMasks& masks(size_t block) const { return ring_[block & RING_MASK]; }

  // Classifies blocks [from, to) into the ring; the last block of the region may be partial.
  void fill(size_t from, size_t to) {
    size_t whole_end = to;
    const bool partial = to == nblocks_ && (n_ & 63) != 0;
    if (partial) whole_end--;
    size_t k = from;
    while (k < whole_end) {
      // up to the ring's wrap point in one call
      const size_t run = std::min(whole_end - k, RING_BLOCKS - (k & RING_MASK));
      classify_(b_ + k * 64, run, &ring_[k & RING_MASK]);
      k += run;
    }
    if (partial && from < to) {
      uint8_t tail[64] = {};  // zero: a control byte, structural and in no other class
      std::memcpy(tail, b_ + whole_end * 64, n_ & 63);
      classify_(tail, 1, &ring_[whole_end & RING_MASK]);
    }
  }

  // Asks for the next FILL_BLOCKS blocks from block k on, so that a body streamed from memory
  // arrives while this batch is read (a hint: it never faults, and reads nothing here).
  void prefetch(size_t k) const {
#if defined(__GNUC__) || defined(__clang__)
    const size_t to = std::min(nblocks_, k + FILL_BLOCKS);
    for (size_t j = k; j < to; j++) __builtin_prefetch(b_ + j * 64);
#else
    (void)k;
#endif
  }

  // Makes block k available while the current line starts in line_block: false when k is past the
  // region or would overwrite the blocks of the current line.
  bool ensure(size_t k, size_t line_block) {
    if (k < filled_) return true;
    if (k >= nblocks_ || k >= line_block + RING_BLOCKS) return false;
    size_t to = std::max(k + 1, filled_ + FILL_BLOCKS);
    to = std::min(to, std::min(nblocks_, line_block + RING_BLOCKS));
    fill(filled_, to);
    filled_ = to;
    prefetch(to);
    return true;
  }

  // Starts both cursors at position q, forgetting what was classified before it.
  void restart(size_t q) {
    const size_t k = q >> 6;
    filled_ = k;
    ensure(k, k);
    const uint64_t from_q = ~0ULL << (q & 63);
    st_.block = lf_block_ = k;
    st_.bits = masks(k).structural & from_q;
    lf_bits_ = masks(k).lf & from_q;
  }

  // The next LF, or NONE when it lies further than the ring can hold from the line's first block.
  size_t next_lf(size_t line_block) {
    while (lf_bits_ == 0) {
      if (!ensure(lf_block_ + 1, line_block)) return NONE;
      lf_block_++;
      lf_bits_ = masks(lf_block_).lf;
    }
    const size_t p = (lf_block_ << 6) + ctz64(lf_bits_);
    lf_bits_ &= lf_bits_ - 1;
    return p;
  }

  DT_INLINE size_t next_structural(Cursor& c) const {
    while (c.bits == 0) {
      c.block++;
      c.bits = masks(c.block).structural;
    }
    const size_t p = (c.block << 6) + ctz64(c.bits);
    c.bits &= c.bits - 1;
    return p;
  }

  template <size_t K>
  DT_INLINE void skip_structurals(Cursor& c) const {
    for (size_t k = 0; k < K; k++) next_structural(c);
  }

  // Moves a structural cursor to position q. q is inside a classified block, or at the start of
  // the next block to classify (after an LF that ends the classified part).
  DT_INLINE void seek_structural(Cursor& c, size_t q) const {
    const size_t k = q >> 6;
    if (DT_LIKELY(k < filled_)) {
      c.block = k;
      c.bits = masks(k).structural & (~0ULL << (q & 63));
    } else {
      c.block = k - 1;
      c.bits = 0;
    }
  }

  // Whether no byte of [s, e) has a bit in the mask `field` (s >= the line's start, e <= its LF).
  template <uint64_t BlockMasks::*field>
  DT_INLINE bool clear(size_t s, size_t e) const {
    if (s >= e) return true;
    const size_t ks = s >> 6;
    const unsigned so = static_cast<unsigned>(s & 63);
    const size_t len = e - s;
    // inside one block (nearly always): the len bits from so, shifted to the top
    if (DT_LIKELY(len <= 64 - so)) return ((masks(ks).*field >> so) << (64 - len)) == 0;
    if ((masks(ks).*field >> so) != 0) return false;
    const size_t ke = (e - 1) >> 6;
    for (size_t k = ks + 1; k < ke; k++)
      if (masks(k).*field != 0) return false;
    return (masks(ke).*field << (63 - ((e - 1) & 63))) == 0;
  }

  // The `len` (1..64) bits of mask `field` from position s (bit i: byte s + i). Reads the next
  // block only when the bits reach into it (so never a block past the line's LF).
  template <uint64_t BlockMasks::*field>
  DT_INLINE uint64_t window(size_t s, size_t len) const {
    const size_t ks = s >> 6;
    const unsigned so = static_cast<unsigned>(s & 63);
    uint64_t w = masks(ks).*field >> so;
    if (len > 64 - so) w |= masks(ks + 1).*field << (64 - so);
    return len == 64 ? w : w & ((1ULL << len) - 1);
  }

  // A metric key b[ls, ke) (its first byte is a letter or '_'): sections of C_METRIC_KEY bytes
  // separated by single dots, no section after a dot starting with '-' or (unless allowed) a
  // digit, no dot at the end (spec §2). The whole key in mask arithmetic, 64 bytes at a time.
  DT_INLINE bool metric_key_ok(size_t ls, size_t ke) const {
    uint64_t carry = 0;  // a dot just before the window
    for (size_t s = ls; s < ke; s += 64) {
      const size_t len = std::min<size_t>(64, ke - s);
      if (window<&BlockMasks::not_metric_key>(s, len) != 0) return false;
      const uint64_t dots = window<&BlockMasks::dot>(s, len);
      if ((dots | carry) == 0) continue;  // one section here
      uint64_t no_start = dots | window<&BlockMasks::minus>(s, len);
      if (!o_.allow_digit_leading_sections) no_start |= ~window<&BlockMasks::not_digit>(s, len);
      if ((((dots << 1) | carry) & no_start) != 0) return false;  // the bits past len fall outside no_start's
      carry = (dots >> (len - 1)) & 1;
    }
    return carry == 0;  // no dot at the end
  }

  // A dimension key b[ks, ke) (its first byte is in C_DIM_KEY_START): sections of C_DIM_KEY bytes
  // separated by single dots, each starting with a C_DIM_KEY_START byte, no dot at the end (spec §2).
  DT_INLINE bool dim_key_ok(size_t ks, size_t ke) const {
    if (DT_LIKELY(ke - ks <= 64)) {
      // the usual key: one window
      const size_t len = ke - ks;
      if (window<&BlockMasks::not_dim_key>(ks, len) != 0) return false;
      const uint64_t dots = window<&BlockMasks::dot>(ks, len);
      return dots == 0 ||
             (((dots << 1) & window<&BlockMasks::not_dim_key_start>(ks, len)) == 0 && (dots >> (len - 1)) == 0);
    }
    uint64_t carry = 0;
    for (size_t s = ks; s < ke; s += 64) {
      const size_t len = std::min<size_t>(64, ke - s);
      if (window<&BlockMasks::not_dim_key>(s, len) != 0) return false;
      const uint64_t dots = window<&BlockMasks::dot>(s, len);
      if ((dots | carry) == 0) continue;
      if ((((dots << 1) | carry) & window<&BlockMasks::not_dim_key_start>(s, len)) != 0) return false;
      carry = (dots >> (len - 1)) & 1;
    }
    return carry == 0;
  }

  // A plain number's digits b[ds, e): digits, or digits '.' digits, at most 64 bytes. Returns the
  // offset of the dot from ds, 0 without one, or NONE when the bytes are anything else.
  DT_INLINE size_t plain_digits(size_t ds, size_t e) const {
    const size_t len = e - ds;
    if (len == 0 || len > 64) return NONE;
    const uint64_t other = window<&BlockMasks::not_digit>(ds, len);
    if (other == 0) return 0;
    // exactly one non-digit, a dot with a digit on each side
    if ((other & (other - 1)) != 0) return NONE;
    const size_t q = ctz64(other);
    if (q == 0 || q + 1 == len || b_[ds + q] != DOT) return NONE;
    return q;
  }

  // A payload number b[ds, e) (after an optional '-'), accepted when it is plainly finite: digits,
  // an optional '.' with digits on both sides, an optional exponent e|E, an optional sign and at
  // most MAX_EXPONENT_DIGITS digits, and integer digits plus exponent at most MAX_DECIMAL_EXPONENT
  // (so the value stays below 10^300, far from overflow). At most 64 bytes. Anything else (a bare
  // point, NaN-like words, huge exponents) goes to the reference reader.
  DT_INLINE bool payload_number_ok(size_t ds, size_t e) const {
    const size_t len = e - ds;
    if (len == 0 || len > 64) return false;
    uint64_t other = window<&BlockMasks::not_digit>(ds, len);
    if (other == 0) return true;
    size_t q = ctz64(other);  // the first non-digit
    if (q == 0) return false;
    const size_t int_digits = q;
    if (b_[ds + q] == DOT) {
      other &= other - 1;
      const size_t next = other != 0 ? ctz64(other) : len;
      if (next == q + 1) return false;  // no digit after the point
      q = next;
      if (q == len) return true;
    }
    const uint8_t x = b_[ds + q];
    if (x != 'e' && x != 'E') return false;
    other &= other - 1;
    size_t es = q + 1;  // first exponent digit
    bool negative = false;
    if (es < len && (other & (1ULL << es)) != 0) {
      const uint8_t sign = b_[ds + es];
      if (sign != '+' && sign != MINUS) return false;
      negative = sign == MINUS;
      other &= other - 1;
      es++;
    }
    if (other != 0 || es == len || len - es > MAX_EXPONENT_DIGITS) return false;
    if (negative) return true;  // at most an underflow to 0, which is finite
    return int_digits + eight_digits(b_, ds + es, len - es, n_) <= MAX_DECIMAL_EXPONENT;
  }

  // The acceptor: true when buf[ls, le) (le is its LF) is a valid data line; then the structural
  // cursor is past the LF and `a` is filled. False: the line needs the reference (cursor anywhere
  // in the line). Mirrors scanner.cc's scan_data on the lines it accepts.
  DT_INLINE bool accept(size_t ls, size_t le, Accepted& a) {
    const uint8_t* const b = b_;
    Cursor cur = st_;
    uint8_t c = b[ls];
    // --- metric key (spec §2): it ends at the first structural byte, which must be ',' or ' ' ---
    if ((CHAR_CLASS[c] & C_ALPHA) == 0 && c != UNDERSCORE) return false;
    size_t p = next_structural(cur);
    c = b[p];
    if (c != COMMA && c != SPACE) return false;
    const size_t key_end = p;
    const size_t key_length = key_end - ls;
    if (key_length < limits_.key_min || key_length > limits_.key_max) return false;
    if (key_length >= W_RESERVED_KEY_PREFIX_LEN && has_word(b, ls, key_end, W_RESERVED_KEY_PREFIX, W_RESERVED_KEY_PREFIX_LEN))
      return false;
    if (!metric_key_ok(ls, key_end)) return false;

    // --- dimensions: ,key=value (spec §2) ---
    size_t kept = 0;
    while (c == COMMA) {
      const size_t ks = p + 1;
      if ((CHAR_CLASS[b[ks]] & C_DIM_KEY_START) == 0) return false;
      p = next_structural(cur);
      if (b[p] != EQUALS || p - ks > limits_.dim_key_max || !dim_key_ok(ks, p))
        return false;
      const size_t vs = p + 1;
      size_t shrink = 0;
      size_t units;
      if (b[vs] == QUOTE) {
        // quoted: only \" and \\ are escapes; space , = are plain (spec §2, *docs*)
        next_structural(cur);  // the opening quote
        for (;;) {
          p = next_structural(cur);
          c = b[p];
          if (c == QUOTE) break;
          if (c == BACKSLASH) {
            // *decided*: a backslash before any other character is a literal backslash
            const uint8_t d = b[p + 1];
            if (d == QUOTE || d == BACKSLASH) {
              shrink++;
              next_structural(cur);  // the escaped byte
            }
            continue;
          }
          if ((CHAR_CLASS[c] & C_QUOTED_STOP) != 0) return false;  // a control (the LF too) or non-ASCII
        }
        units = p - vs - 1 - shrink;
        const size_t close = p;
        p = next_structural(cur);
        c = b[p];
        if (p != close + 1 || (c != COMMA && c != SPACE)) return false;
      } else {
        // bare: space , = " end it unless escaped (spec §2, *lib*)
        for (;;) {
          p = next_structural(cur);
          c = b[p];
          if (c == COMMA || c == SPACE) break;
          if (c != BACKSLASH) return false;  // = " a control (the LF too) or non-ASCII
          const uint8_t d = b[p + 1];
          if (d == SPACE || d == COMMA || d == EQUALS || d == QUOTE || d == BACKSLASH) {
            shrink++;
            next_structural(cur);  // the escaped byte
          } else if ((CHAR_CLASS[d] & C_BARE_STOP) != 0) {
            return false;  // before a control or non-ASCII byte: the reference decides
          }
          // *decided*: before any other character the backslash is literal
        }
        units = p - vs - shrink;
      }
      if (units > limits_.dim_value_max) return false;
      // an empty value drops the dimension (spec §2)
      if (units != 0) kept++;
    }
    if (kept > limits_.dimensions_max) return false;

    // --- payload: one space after key or dimensions (spec §2 "Payload") ---
    const size_t ps = p + 1;
    size_t r = ps;
    a.payload_type = PT_GAUGE;
    c = b[ps];
    if (c == static_cast<uint8_t>(W_GAUGE[0])) {
      if (!has_word(b, ps, le, W_GAUGE, W_GAUGE_LEN) || b[ps + W_GAUGE_LEN] != COMMA) return false;
      r = ps + W_GAUGE_LEN + 1;
      skip_structurals<GAUGE_COMMA_STRUCTURALS>(cur);  // the word matched: its structural bytes are the next ones
      if ((CHAR_CLASS[b[r]] & C_ALPHA) != 0) {
        if (!summary(cur, r, le, a, p)) return false;
        c = b[p];
        r = NONE;  // no plain number follows
      }
    } else if (c == static_cast<uint8_t>(W_COUNT[0])) {
      if (!has_word(b, ps, le, W_COUNT, W_COUNT_LEN) || b[ps + W_COUNT_LEN] != COMMA ||
          !has_word(b, ps + W_COUNT_LEN + 1, le, W_DELTA_FIELD, W_DELTA_FIELD_LEN))
        return false;
      r = ps + W_COUNT_LEN + 1 + W_DELTA_FIELD_LEN;
      skip_structurals<COUNT_DELTA_STRUCTURALS>(cur);
      a.payload_type = PT_COUNT;
    }
    if (r != NONE) {
      // a plainly finite number (see payload_number_ok)
      p = next_structural(cur);
      if (!payload_number_ok(b[r] == MINUS ? r + 1 : r, p)) return false;
      a.number_start = r;
      a.number_end = p;
      c = b[p];
    }

    // --- timestamp: one space, digits, inside the window (spec §2) ---
    if (c == SPACE) {
      const size_t ts = p + 1;
      p = next_structural(cur);
      if (p == ts || !clear<&BlockMasks::not_digit>(ts, p)) return false;
      double t;
      if (p - ts <= MAX_EXACT_DIGITS) {
        t = static_cast<double>(digits_value(b, ts, p, n_));
      } else {
        // as the reference's parse_digits: v * 10 + c in doubles
        t = 0;
        for (size_t i = ts; i < p; i++) t = t * 10 + static_cast<unsigned>(b[i] - '0');
      }
      if (t < o_.timestamp_min || t > o_.timestamp_max) return false;
      c = b[p];
    }

    // --- the end: the LF, or CR LF when a CR before the LF is ignored (spec §1) ---
    const size_t line_end = p;
    if (c == CR) {
      if (!o_.ignore_carriage_return || p + 1 != le) return false;
      p = next_structural(cur);
      c = b[p];
    }
    if (c != LF) return false;
    // line length (spec §1, *docs*): the line is ASCII here, so bytes are UTF-16 units
    if (line_end - ls > limits_.line_max) return false;
    st_ = cur;  // past the LF

    // --- accepted: a valid data line. The endpoint's key rewrite (spec §3) ---
    a.key_end = key_end;
    a.line_end = line_end;
    a.key_suffix = KS_NONE;
    a.warning = 0;
    if (o_.rewrite_key_suffix) {
      const bool count_suffix = ends_with_count_suffix(b, ls, key_end);
      if (a.payload_type == PT_COUNT ? !count_suffix : count_suffix) {
        a.key_suffix = count_suffix ? KS_GAUGE : KS_COUNT;
        a.warning = RC_METRIC_KEY_CHANGED;
      }
    }
    return true;
  }

  // `min=..,max=..,sum=..,count=..` from r in the strict order (valid under either order option;
  // other orders go to the reference). Each field is -?digits(.digits)? (count: digits) with at most
  // MAX_EXACT_DIGITS digits, computed as the reference's exact path does (the digits as an exact
  // integer, then one division by an exact power of ten), so the consistency check sees the same
  // doubles. On success p is at the byte after the count field.
  DT_INLINE bool summary(Cursor& cur, size_t r, size_t le, Accepted& a, size_t& p) const {
    double min, max, sum, count;
    if (!summary_field<0>(cur, r, le, p, min) || !summary_field<1>(cur, p + 1, le, p, max) ||
        !summary_field<2>(cur, p + 1, le, p, sum) || !summary_field<3>(cur, p + 1, le, p, count))
      return false;
    // consistency (spec §2, *server* texts; SUMMARY_TOLERANCE from generated.h), as scan_summary
    if (count == 0) {
      if (min != 0 || max != 0 || sum != 0) return false;
    } else {
      const double avg = sum / count;
      if (!(min - SUMMARY_TOLERANCE <= avg && avg <= max + SUMMARY_TOLERANCE)) return false;
    }
    a.payload_type = PT_SUMMARY;
    a.min = min;
    a.max = max;
    a.sum = sum;
    a.count = count;
    return true;
  }

  // Field F of a summary at r: its word, then its number. p ends at the byte after the number,
  // which must be the ',' before the next field (F < 3).
  template <unsigned F>
  DT_INLINE bool summary_field(Cursor& cur, size_t r, size_t le, size_t& p, double& out) const {
    const uint8_t* const b = b_;
    constexpr size_t n = SUMMARY_LENGTHS[F];
    if (!has_word(b, r, le, SUMMARY_WORDS[F], n)) return false;
    skip_structurals<SUMMARY_STRUCTURALS[F]>(cur);
    const size_t fs = r + n;
    const bool negative = b[fs] == MINUS;
    if (F == 3 && negative) return false;  // a count is digits only
    const size_t ds = negative ? fs + 1 : fs;
    p = next_structural(cur);
    if (F < 3 && b[p] != COMMA) return false;
    const size_t dot = plain_digits(ds, p);
    if (dot == NONE || (F == 3 && dot != 0) || p - ds > MAX_EXACT_DIGITS + (dot != 0 ? 1 : 0)) return false;
    uint64_t mantissa;
    const size_t len = p - ds;
    const size_t fraction = dot != 0 ? len - dot - 1 : 0;
    if (LITTLE_ENDIAN_HOST && len <= 8 && ds + 8 <= n_) {
      // the usual short field: one SWAR conversion, the dot squeezed out first
      uint64_t x;
      std::memcpy(&x, b + ds, 8);
      if (dot != 0) {
        const uint64_t before = (1ULL << (8 * dot)) - 1;
        x = (x & before) | ((x >> 8) & ~before);
      }
      mantissa = swar_digits(x, dot != 0 ? len - 1 : len);
    } else if (dot != 0) {
      // at most 15 digits in all: the integer is exact
      mantissa = digits_value(b, ds, ds + dot, n_) * POW10_INT[fraction] + digits_value(b, ds + dot + 1, p, n_);
    } else {
      mantissa = digits_value(b, ds, p, n_);
    }
    const double m = static_cast<double>(mantissa);
    const double value = fraction == 0 ? m : m / POW10[fraction];
    out = negative ? -value : value;
    return true;
  }
};

}  // namespace

size_t scan_lines(const uint8_t* buf, size_t start, size_t end, uint32_t first_line, const Options& options,
                  Results& results) {
  // no SIMD kernel on this platform: the reference loop is the faster one
  const detail::ClassifyFn classify = detail::classify_kernel();
  if (classify == nullptr) return scan_lines_reference(buf, start, end, first_line, options, results);
  // the fused part ends with the region's last LF; a segment after it is one more line
  size_t fused_end = end;
  while (fused_end > start && buf[fused_end - 1] != LF) fused_end--;
  Line v{};
  size_t count = 0;
  uint32_t lines = 0;
  uint32_t skipped = 0;
  size_t pos = start;
  Fused fused(buf, start, fused_end, options, classify);
  if (!fused.usable()) return scan_lines_reference(buf, start, end, first_line, options, results);
  if (fused_end > start) fused.run(v, first_line, results, count, lines, skipped, pos);
  if (pos == fused_end && pos < end && count < results.record_capacity) {
    // the last line has no LF (the caller's promise: it is complete)
    fused.judge(v, first_line + lines, pos - start, end - start, results, count, skipped);
    lines++;
    pos = end;
  }
  return detail::finish(results, count, pos, lines, skipped);
}

}  // namespace dt
