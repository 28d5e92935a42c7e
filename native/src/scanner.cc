// C++ mirror of src/metrics/scanner.ts + src/metrics/numbers.ts + the char helpers of src/protocol/chars.ts.
// The TypeScript file is the reference: every function here follows the one of the same name there,
// branch for branch, so that verdicts, error offsets and arguments agree byte for byte. Comments
// quote the rule where the reason is not obvious; the spec sections are those of scanner.ts.
//
// This file is the reference of the C++ side too: scan_lines_reference is the plain loop (memchr to
// each LF, then the line grammar), and the fused scan of fused.cc hands every line it cannot prove
// plain and valid to scan_line here. Tests and the fuzzer compare the two loops on the same input.
#include "scanner.h"

#include "reference.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <vector>

#if defined(__GLIBC__)
#include <locale.h>
#endif

namespace dt {
namespace {

// ---- character classes: CHAR_CLASS, UNIT_CHAR and the C_* bits come from generated.h ----------
inline uint8_t cls(uint8_t c) { return CHAR_CLASS[c]; }

// Length of the well-formed UTF-8 sequence at i (2..4) or 0 (overlong, surrogate, > U+10FFFF, cut).
inline int utf8_sequence_length(const uint8_t* buf, size_t i, size_t end) {
  const uint8_t b0 = buf[i];
  if (b0 < 0xc2) return 0;
  if (b0 < 0xe0) return i + 1 < end && (buf[i + 1] & 0xc0) == 0x80 ? 2 : 0;
  if (b0 < 0xf0) {
    if (i + 2 >= end) return 0;
    const uint8_t b1 = buf[i + 1];
    if ((b1 & 0xc0) != 0x80 || (buf[i + 2] & 0xc0) != 0x80) return 0;
    if (b0 == 0xe0 && b1 < 0xa0) return 0;
    if (b0 == 0xed && b1 > 0x9f) return 0;
    return 3;
  }
  if (b0 < 0xf5) {
    if (i + 3 >= end) return 0;
    const uint8_t b1 = buf[i + 1];
    if ((b1 & 0xc0) != 0x80 || (buf[i + 2] & 0xc0) != 0x80 || (buf[i + 3] & 0xc0) != 0x80) return 0;
    if (b0 == 0xf0 && b1 < 0x90) return 0;
    if (b0 == 0xf4 && b1 > 0x8f) return 0;
    return 4;
  }
  return 0;
}

// UTF-16 units of [start, end), each byte of a malformed sequence counting as one unit.
inline size_t utf16_length(const uint8_t* buf, size_t start, size_t end) {
  size_t n = 0;
  for (size_t i = start; i < end; i++) {
    const uint8_t b = buf[i];
    if ((b & 0xc0) != 0x80) n += b >= 0xf0 ? 2 : 1;
  }
  return n;
}

// ---- numbers (src/metrics/numbers.ts) ------------------------------------------------------------
constexpr double POW10[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                              1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
constexpr double EXACT_LIMIT = 9007199254740992.0;  // 2^53
const double NaN = std::numeric_limits<double>::quiet_NaN();

// The reference falls back to Number() on the token; a correctly rounding strtod on the same ASCII
// text gives the same double (the grammar was checked, so the token is one strtod accepts whole).
// The "C" locale keeps the decimal point a '.' whatever the host process set.
double slow_parse(const uint8_t* buf, size_t start, size_t end) {
  const size_t n = end - start;
  char small[128];
  thread_local std::vector<char> big;  // grown once for absurdly long tokens, reused after
  char* text = small;
  if (n + 1 > sizeof small) {
    if (big.size() < n + 1) big.resize(n + 1);
    text = big.data();
  }
  std::memcpy(text, buf + start, n);
  text[n] = 0;
#if defined(__GLIBC__)
  static locale_t c_locale = newlocale(LC_ALL_MASK, "C", static_cast<locale_t>(nullptr));
  if (c_locale != static_cast<locale_t>(nullptr)) return strtod_l(text, nullptr, c_locale);
#endif
  return std::strtod(text, nullptr);
}

// Digits only, as a double accumulated like the reference (v * 10 + c, rounding past 2^53 alike).
inline double parse_digits(const uint8_t* buf, size_t start, size_t end) {
  if (start >= end) return -1;
  double v = 0;
  for (size_t i = start; i < end; i++) {
    const unsigned c = static_cast<unsigned>(buf[i]) - 48u;
    if (c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

}  // namespace

double parse_number(const uint8_t* buf, size_t start, size_t end, bool bare) {
  size_t i = start;
  if (i >= end) return NaN;
  bool negative = false;
  if (buf[i] == MINUS) {
    negative = true;
    i++;
  }
  // mantissa is a double on purpose: the reference's arithmetic, including its rounding past 2^53
  double mantissa = 0;
  int64_t exponent = 0;
  bool exact = true;
  size_t int_digits = 0;
  unsigned c = 0;
  while (i < end && (c = static_cast<unsigned>(buf[i]) - 48u) <= 9) {
    if (mantissa < 1e15) {
      mantissa = mantissa * 10 + c;
    } else {
      exponent++;
      if (c != 0) exact = false;
    }
    int_digits++;
    i++;
  }
  size_t frac_digits = 0;
  if (i < end && buf[i] == DOT) {
    i++;
    while (i < end && (c = static_cast<unsigned>(buf[i]) - 48u) <= 9) {
      if (mantissa < 1e15) {
        mantissa = mantissa * 10 + c;
        exponent--;
      } else if (c != 0) {
        exact = false;
      }
      frac_digits++;
      i++;
    }
    if (int_digits == 0 && frac_digits == 0) return NaN;
    // "5." and ".5" only with allowBareDecimalPoint (spec §2 "Numbers", *decided*)
    if (!bare && (int_digits == 0 || frac_digits == 0)) return NaN;
  } else if (int_digits == 0) {
    return NaN;
  }
  if (i < end) {
    const uint8_t e = buf[i];
    if (e != 'e' && e != 'E') return NaN;
    i++;
    bool exp_negative = false;
    if (i < end && (buf[i] == MINUS || buf[i] == '+')) {
      exp_negative = buf[i] == MINUS;
      i++;
    }
    int64_t exp_value = 0;
    size_t exp_digits = 0;
    while (i < end && (c = static_cast<unsigned>(buf[i]) - 48u) <= 9) {
      if (exp_value < 100000) exp_value = exp_value * 10 + c;
      exp_digits++;
      i++;
    }
    if (exp_digits == 0 || i < end) return NaN;
    exponent += exp_negative ? -exp_value : exp_value;
  }
  double value;
  if (exact && mantissa < EXACT_LIMIT && exponent >= -22 && exponent <= 22) {
    // Clinger's fast path: both operands exact, one IEEE operation, correctly rounded
    value = exponent < 0 ? mantissa / POW10[-exponent] : mantissa * POW10[exponent];
  } else if (mantissa == 0 && exact) {
    value = 0;
  } else {
    return slow_parse(buf, start, end);  // the sign is in the text
  }
  return negative ? -value : value;
}

namespace {

using detail::Line;

inline int32_t fail(Line& v, int32_t code, size_t at, double arg) {
  v.error = code;
  v.error_at = at;
  v.error_arg = arg;
  return code;
}

constexpr ptrdiff_t FAILED = -1;

// "Reading left to right, a dimension past the limit comes before any later problem."
inline ptrdiff_t fail_dims(Line& v, int32_t code, size_t at, double arg, ptrdiff_t too_many_at, double count) {
  if (too_many_at >= 0)
    fail(v, RC_TOO_MANY_DIMENSIONS, static_cast<size_t>(too_many_at), count);
  else
    fail(v, code, at, arg);
  return FAILED;
}

inline bool matches(const uint8_t* buf, size_t at, const char* word, size_t n) {
  return std::memcmp(buf + at, word, n) == 0;
}

// Metric key: sections of A-Z a-z 0-9 - _ separated by '.', no empty section, first character a
// letter or '_', no later section starting with '-' (spec §2, *docs*) or, by default, a digit
// (*server*). Returns the end of the key (at ',' / ' ' / end) or FAILED.
ptrdiff_t scan_metric_key(Line& v, const uint8_t* buf, size_t start, size_t end, bool allow_digit_sections) {
  size_t i = start;
  if (i >= end || buf[i] == COMMA || buf[i] == SPACE) {
    fail(v, RC_METRIC_KEY_EMPTY, start, 0);
    return FAILED;
  }
  bool first = true;
  for (;;) {
    // at the first character of a section
    if (i >= end) {
      fail(v, RC_METRIC_KEY_EMPTY_SECTION, i - 1, 0);  // the key ends with '.'
      return FAILED;
    }
    const uint8_t ch = buf[i];
    if (ch == DOT) {
      fail(v, RC_METRIC_KEY_EMPTY_SECTION, i, 0);
      return FAILED;
    }
    if (ch == COMMA || ch == SPACE) {
      fail(v, RC_METRIC_KEY_EMPTY_SECTION, i - 1, 0);  // the key ends with '.'
      return FAILED;
    }
    const uint8_t k = cls(ch);
    if ((k & C_METRIC_KEY) == 0) {
      fail(v, RC_METRIC_KEY_CHAR, i, 0);
      return FAILED;
    }
    if (first) {
      if ((k & C_ALPHA) == 0 && ch != UNDERSCORE) {
        fail(v, RC_METRIC_KEY_SECTION_START, i, 0);
        return FAILED;
      }
    } else if (ch == MINUS) {
      fail(v, RC_METRIC_KEY_SECTION_START, i, 0);
      return FAILED;
    } else if ((k & C_DIGIT) != 0 && !allow_digit_sections) {
      fail(v, RC_METRIC_KEY_DIGIT_SECTION, i, 0);
      return FAILED;
    }
    first = false;
    i++;
    // the rest of the section: one table test per byte
    while (i < end && (cls(buf[i]) & C_METRIC_KEY) != 0) i++;
    if (i >= end) return static_cast<ptrdiff_t>(i);
    const uint8_t d = buf[i];
    if (d == COMMA || d == SPACE) return static_cast<ptrdiff_t>(i);
    if (d != DOT) {
      fail(v, RC_METRIC_KEY_CHAR, i, 0);
      return FAILED;
    }
    i++;
  }
}

inline bool ends_with_count_suffix(const uint8_t* buf, size_t start, size_t end) {
  // `.count` or `_count` (spec §3)
  if (end - start < W_COUNT_SUFFIX_WORD_LEN + 1) return false;
  const size_t s = end - W_COUNT_SUFFIX_WORD_LEN - 1;
  if (buf[s] != DOT && buf[s] != UNDERSCORE) return false;
  return matches(buf, s + 1, W_COUNT_SUFFIX_WORD, W_COUNT_SUFFIX_WORD_LEN);
}

// Index of a metadata property name, compared case-insensitively (spec §5, *decided*).
int meta_property_index(const uint8_t* buf, size_t start, size_t end) {
  static const char* const NAMES[3] = {W_META_DISPLAY_NAME, W_META_DESCRIPTION, W_META_UNIT};
  static const size_t LENGTHS[3] = {W_META_DISPLAY_NAME_LEN, W_META_DESCRIPTION_LEN, W_META_UNIT_LEN};
  for (int p = 0; p < 3; p++) {
    if (end - start != LENGTHS[p]) continue;
    bool same = true;
    for (size_t k = 0; k < LENGTHS[p]; k++) {
      uint8_t ch = buf[start + k];
      if (ch >= 65 && ch <= 90) ch = static_cast<uint8_t>(ch + 32);
      if (ch != static_cast<uint8_t>(NAMES[p][k])) {
        same = false;
        break;
      }
    }
    if (same) return p;
  }
  return -1;
}

class Scanner {
 public:
  explicit Scanner(const Options& o) : o_(o) {}

  // One line buf[start, end) without its LF (a CR may still be there). Fills v; returns the error.
  int32_t scan(Line& v, const uint8_t* buf, size_t start, size_t& end) {
    if (o_.ignore_carriage_return && end > start && buf[end - 1] == CR) end--;
    v.error = 0;
    v.warning = 0;
    v.key_suffix = KS_NONE;
    v.timestamp = -1;
    v.last_value_bare = false;
    v.key_end = start;
    // blank: empty, or spaces only (spec §1)
    if (start == end) {
      v.kind = KIND_BLANK;
      return 0;
    }
    // line length before the spaces-only check, as the TypeScript scanner: a long line carried
    // across chunks is skipped unread, so its verdict cannot depend on its content
    // line length (spec §1, *docs*): bytes bound UTF-16 units from above, so count only long lines
    if (static_cast<double>(end - start) > o_.max_line_length) {
      const size_t units = utf16_length(buf, start, end);
      if (static_cast<double>(units) > o_.max_line_length) {
        v.kind = buf[start] == HASH ? KIND_METADATA : KIND_DATA;
        return fail(v, RC_LINE_TOO_LONG, start, static_cast<double>(units));
      }
    }
    if (buf[start] == SPACE) {
      size_t i = start + 1;
      while (i < end && buf[i] == SPACE) i++;
      if (i == end) {
        v.kind = KIND_BLANK;
        return 0;
      }
    }
    if (buf[start] == HASH) {
      v.kind = KIND_METADATA;
      return scan_metadata(v, buf, start + 1, end);
    }
    v.kind = KIND_DATA;
    return scan_data(v, buf, start, end);
  }

 private:
  const Options& o_;

  int32_t scan_data(Line& v, const uint8_t* buf, size_t start, size_t end) {
    // --- metric key ---
    const ptrdiff_t key = scan_metric_key(v, buf, start, end, o_.allow_digit_leading_sections);
    if (key < 0) return v.error;
    size_t i = static_cast<size_t>(key);
    const size_t key_length = i - start;
    v.key_end = i;
    // 'dt.' keys are reserved (spec §2, *docs*)
    if (key_length >= W_RESERVED_KEY_PREFIX_LEN && matches(buf, start, W_RESERVED_KEY_PREFIX, W_RESERVED_KEY_PREFIX_LEN))
      return fail(v, RC_METRIC_KEY_RESERVED, start, 0);
    if (static_cast<double>(key_length) < o_.metric_key_min_length)
      return fail(v, RC_METRIC_KEY_TOO_SHORT, start, static_cast<double>(key_length));
    if (static_cast<double>(key_length) > o_.metric_key_max_length)
      return fail(v, RC_METRIC_KEY_TOO_LONG, start, static_cast<double>(key_length));

    // --- dimensions ---
    if (i < end && buf[i] == COMMA) {
      const ptrdiff_t after = scan_dimensions(v, buf, i, end);
      if (after < 0) return v.error;
      i = static_cast<size_t>(after);
    }

    // --- payload: here buf[i] is a space or i == end ---
    if (i >= end) return fail(v, RC_PAYLOAD_MISSING, end, 0);
    const size_t separator_at = i;
    i++;
    if (o_.collapse_spaces)
      while (i < end && buf[i] == SPACE) i++;
    if (i >= end) return fail(v, RC_PAYLOAD_MISSING, end, 0);
    const size_t ps = i;
    while (i < end && buf[i] != SPACE) i++;
    const size_t pe = i;
    const int32_t payload_error = scan_payload(v, buf, ps, pe);
    if (payload_error != 0) {
      // `k=a b 5`: a bare space ended the dimensions early; the server says `invalid metric type`,
      // the report says what really happened
      if (payload_error == RC_METRIC_TYPE_INVALID && v.last_value_bare)
        return fail(v, RC_DIMENSION_VALUE_UNESCAPED_SPACE, separator_at, 0);
      return payload_error;
    }

    // --- timestamp ---
    if (i < end) {
      i++;
      if (o_.collapse_spaces)
        while (i < end && buf[i] == SPACE) i++;
      if (i < end) {
        const size_t ts = i;
        while (i < end && buf[i] != SPACE) i++;
        const double value = parse_digits(buf, ts, i);
        if (value < 0) return fail(v, RC_TIMESTAMP_INVALID, ts, 0);
        if (value < o_.timestamp_min || value > o_.timestamp_max) return fail(v, RC_TIMESTAMP_OUT_OF_RANGE, ts, value);
        v.timestamp = value;
        // trailing spaces are separators too; anything else is a fourth token
        while (i < end && buf[i] == SPACE) i++;
        if (i < end) return fail(v, RC_TRAILING_DATA, i, 0);
      }
    }

    // --- rewrites (spec §3): warnings, the line stays OK ---
    if (o_.rewrite_key_suffix) {
      const bool count_suffix = ends_with_count_suffix(buf, start, v.key_end);
      if (v.payload_type == PT_COUNT) {
        if (!count_suffix) {
          v.key_suffix = KS_COUNT;
          v.warning = RC_METRIC_KEY_CHANGED;
        }
      } else if (count_suffix) {
        v.key_suffix = KS_GAUGE;
        v.warning = RC_METRIC_KEY_CHANGED;
      }
    }
    return 0;
  }

  // `,k=v,k=v...` from the first comma. Returns the index after the last value, or FAILED.
  ptrdiff_t scan_dimensions(Line& v, const uint8_t* buf, size_t i, size_t end) {
    const double max_dims = o_.max_dimensions;
    const double max_key = o_.dimension_key_max_length;
    const double max_value = o_.dimension_value_max_length;
    double count = 0;
    ptrdiff_t too_many_at = -1;
    while (i < end && buf[i] == COMMA) {
      i++;
      // --- dimension key: lowercase sections starting with a letter or '_' (spec §2) ---
      const size_t ks = i;
      int32_t code = 0;
      size_t at = 0;
      for (;;) {
        // at the first character of a section
        if (i >= end) {
          code = i == ks ? RC_DIMENSION_KEY_EMPTY : RC_DIMENSION_MISSING_EQUALS;
          at = i;
          break;
        }
        const uint8_t ch = buf[i];
        const uint8_t k = cls(ch);
        if ((k & C_DIM_KEY_START) == 0) {
          if (ch == EQUALS) {
            if (i == ks) {
              code = RC_DIMENSION_KEY_EMPTY;
              at = ks;
            } else {
              code = RC_DIMENSION_KEY_SECTION_START;  // trailing '.'
              at = i - 1;
            }
          } else if (ch == COMMA || ch == SPACE) {
            code = i == ks ? RC_DIMENSION_KEY_EMPTY : RC_DIMENSION_MISSING_EQUALS;
            at = i;
          } else if (ch == DOT || (k & C_DIM_KEY) != 0) {
            code = RC_DIMENSION_KEY_SECTION_START;  // empty section, or a digit, '-' or ':' first
            at = i;
          } else {
            code = RC_DIMENSION_KEY_CHAR;
            at = i;
          }
          break;
        }
        i++;
        while (i < end && (cls(buf[i]) & C_DIM_KEY) != 0) i++;
        if (i >= end) {
          code = RC_DIMENSION_MISSING_EQUALS;
          at = i;
          break;
        }
        const uint8_t d = buf[i];
        if (d == EQUALS) break;
        if (d == DOT) {
          i++;
          continue;
        }
        code = d == COMMA || d == SPACE ? RC_DIMENSION_MISSING_EQUALS : RC_DIMENSION_KEY_CHAR;
        at = i;
        break;
      }
      if (code == 0 && static_cast<double>(i - ks) > max_key) {
        code = RC_DIMENSION_KEY_TOO_LONG;
        at = ks;
      }
      if (code != 0)
        return fail_dims(v, code, at, code == RC_DIMENSION_KEY_TOO_LONG ? static_cast<double>(i - ks) : 0, too_many_at,
                         count);
      i++;  // '='

      // --- dimension value ---
      // UTF-16 units = bytes - bytes that make no unit of their own (escape backslashes, the extra
      // bytes of multi-byte sequences); counted only where such bytes occur
      size_t vs = i;
      size_t ve;
      size_t shrink = 0;
      if (i < end && buf[i] == QUOTE) {
        // quoted: only \" and \\ are escapes; , = and space are plain (spec §2, *docs*)
        const size_t open = i;
        i++;
        vs = i;
        for (;;) {
          while (i < end && (cls(buf[i]) & C_QUOTED_STOP) == 0) i++;
          if (i >= end) return fail_dims(v, RC_DIMENSION_VALUE_UNTERMINATED, open, 0, too_many_at, count);
          const uint8_t ch = buf[i];
          if (ch == QUOTE) break;
          if (ch == BACKSLASH) {
            // *decided*: a backslash before any other character is a literal backslash
            if (i + 1 < end && (buf[i + 1] == QUOTE || buf[i + 1] == BACKSLASH)) {
              shrink++;
              i += 2;
            } else {
              i++;
            }
            continue;
          }
          if (ch < 128) return fail_dims(v, RC_DIMENSION_VALUE_CHAR, i, 0, too_many_at, count);  // a control
          const int n = utf8_sequence_length(buf, i, end);
          if (n == 0) return fail_dims(v, RC_INVALID_UTF8, i, 0, too_many_at, count);
          shrink += n == 4 ? 2 : static_cast<size_t>(n) - 1;
          i += static_cast<size_t>(n);
        }
        ve = i;
        i++;  // closing quote
        if (i < end && buf[i] != COMMA && buf[i] != SPACE)
          return fail_dims(v, RC_DIMENSION_VALUE_AFTER_QUOTE, i, 0, too_many_at, count);
        v.last_value_bare = false;
      } else {
        // bare: no space , = " unless escaped with a backslash (spec §2, *lib*)
        for (;;) {
          while (i < end && (cls(buf[i]) & C_BARE_STOP) == 0) i++;
          if (i >= end) break;
          const uint8_t ch = buf[i];
          if (ch == COMMA || ch == SPACE) break;
          if (ch == BACKSLASH) {
            if (i + 1 >= end) return fail_dims(v, RC_DIMENSION_VALUE_DANGLING_ESCAPE, i, 0, too_many_at, count);
            const uint8_t d = buf[i + 1];
            if (d == SPACE || d == COMMA || d == EQUALS || d == QUOTE || d == BACKSLASH) {
              shrink++;
              i += 2;
            } else {
              i++;  // *decided*: before any other character the backslash is literal
            }
            continue;
          }
          if (ch < 128) return fail_dims(v, RC_DIMENSION_VALUE_CHAR, i, 0, too_many_at, count);  // = " or a control
          const int n = utf8_sequence_length(buf, i, end);
          if (n == 0) return fail_dims(v, RC_INVALID_UTF8, i, 0, too_many_at, count);
          shrink += n == 4 ? 2 : static_cast<size_t>(n) - 1;
          i += static_cast<size_t>(n);
        }
        ve = i;
        v.last_value_bare = ve > vs;
      }
      const size_t units = ve - vs - shrink;
      if (static_cast<double>(units) > max_value)
        return fail_dims(v, RC_DIMENSION_VALUE_TOO_LONG, vs, static_cast<double>(units), too_many_at, count);
      // an empty value drops the dimension and the line stays valid (spec §2)
      if (units == 0) continue;
      count++;
      if (count > max_dims && too_many_at < 0) too_many_at = static_cast<ptrdiff_t>(ks);
    }
    if (too_many_at >= 0)
      return fail_dims(v, RC_TOO_MANY_DIMENSIONS, static_cast<size_t>(too_many_at), count, too_many_at, count);
    return static_cast<ptrdiff_t>(i);
  }

  // The payload token buf[ps, pe); fills the numbers. Returns the error code or 0.
  int32_t scan_payload(Line& v, const uint8_t* buf, size_t ps, size_t pe) {
    const bool bare = o_.allow_bare_decimal_point;
    const size_t len = pe - ps;
    if (len > W_GAUGE_LEN && buf[ps + W_GAUGE_LEN] == COMMA && matches(buf, ps, W_GAUGE, W_GAUGE_LEN)) {
      const size_t r = ps + W_GAUGE_LEN + 1;
      // a letter after `gauge,` starts the summary fields; a number is a plain gauge
      if (r < pe && (cls(buf[r]) & C_ALPHA) != 0) return scan_summary(v, buf, ps, r, pe);
      const double x = parse_number(buf, r, pe, bare);
      if (x != x) return fail(v, RC_METRIC_VALUE_INVALID, r, 0);
      if (std::isinf(x)) return fail(v, RC_METRIC_VALUE_NOT_FINITE, r, 0);
      v.payload_type = PT_GAUGE;
      v.a = x;
      return 0;
    }
    if (len > W_COUNT_LEN && buf[ps + W_COUNT_LEN] == COMMA && matches(buf, ps, W_COUNT, W_COUNT_LEN)) {
      size_t r = ps + W_COUNT_LEN + 1;
      if (pe - r >= W_DELTA_FIELD_LEN && matches(buf, r, W_DELTA_FIELD, W_DELTA_FIELD_LEN)) {
        r += W_DELTA_FIELD_LEN;
      } else if (!o_.allow_count_without_delta) {
        return fail(v, RC_COUNT_WITHOUT_DELTA, r, 0);
      }
      const double x = parse_number(buf, r, pe, bare);
      if (x != x) return fail(v, RC_METRIC_VALUE_INVALID, r, 0);
      if (std::isinf(x)) return fail(v, RC_METRIC_VALUE_NOT_FINITE, r, 0);
      v.payload_type = PT_COUNT;
      v.a = x;
      return 0;
    }
    // a bare number is a gauge (spec §2 "Payload")
    const double x = parse_number(buf, ps, pe, bare);
    if (x != x) {
      const uint8_t ch = buf[ps];
      // something that starts like a number is a bad value; anything else is an unknown type
      const bool number_like = (cls(ch) & C_DIGIT) != 0 || ch == MINUS || ch == DOT;
      return fail(v, number_like ? RC_METRIC_VALUE_INVALID : RC_METRIC_TYPE_INVALID, ps, 0);
    }
    if (std::isinf(x)) return fail(v, RC_METRIC_VALUE_NOT_FINITE, ps, 0);
    v.payload_type = PT_GAUGE;
    v.a = x;
    return 0;
  }

  // `gauge,min=..,max=..,sum=..,count=..` (spec §2; order *decided*, option summaryFieldOrder).
  int32_t scan_summary(Line& v, const uint8_t* buf, size_t ps, size_t r, size_t pe) {
    static const char* const NAMES[4] = {W_SUMMARY_MIN, W_SUMMARY_MAX, W_SUMMARY_SUM, W_SUMMARY_COUNT};
    static const size_t LENGTHS[4] = {4, 4, 4, 6};
    const bool bare = o_.allow_bare_decimal_point;
    const bool strict = o_.summary_order_strict;
    double min = 0, max = 0, sum = 0, count = 0;
    unsigned seen = 0;
    size_t i = r;
    for (int field = 0; field < 4; field++) {
      if (i >= pe) return fail(v, RC_SUMMARY_FIELDS, i, 0);
      int which = -1;
      for (int f = 0; f < 4; f++) {
        if (pe - i > LENGTHS[f] && matches(buf, i, NAMES[f], LENGTHS[f])) {
          which = f;
          break;
        }
      }
      if (which < 0 || (strict && which != field) || (seen & (1u << which)) != 0)
        return fail(v, RC_SUMMARY_FIELDS, i, 0);
      seen |= 1u << which;
      const size_t vs = i + LENGTHS[which];
      size_t ve = vs;
      while (ve < pe && buf[ve] != COMMA) ve++;
      if (which == 3) {
        const double n = parse_digits(buf, vs, ve);
        if (n < 0) return fail(v, RC_SUMMARY_COUNT_INVALID, vs, 0);
        count = n;
      } else {
        const double x = parse_number(buf, vs, ve, bare);
        if (x != x) return fail(v, RC_METRIC_VALUE_INVALID, vs, 0);
        if (std::isinf(x)) return fail(v, RC_METRIC_VALUE_NOT_FINITE, vs, 0);
        if (which == 0)
          min = x;
        else if (which == 1)
          max = x;
        else
          sum = x;
      }
      i = ve;
      if (field < 3) {
        if (i >= pe) return fail(v, RC_SUMMARY_FIELDS, i, 0);
        i++;  // ','
      }
    }
    if (i < pe) return fail(v, RC_SUMMARY_FIELDS, i, 0);
    v.payload_type = PT_SUMMARY;
    v.a = min;
    v.b = max;
    v.c = sum;
    v.d = count;
    // consistency (spec §2, *server* texts; SUMMARY_TOLERANCE from generated.h)
    if (count == 0) {
      if (min != 0 || max != 0 || sum != 0) return fail(v, RC_SUMMARY_COUNT_ZERO, ps, 0);
    } else {
      const double avg = sum / count;
      if (!(min - SUMMARY_TOLERANCE <= avg && avg <= max + SUMMARY_TOLERANCE)) return fail(v, RC_SUMMARY_AVG_RANGE, ps, 0);
    }
    return 0;
  }

  // `#key gauge|count dt.meta.prop=value[,...]` (spec §5). `i` is just after the `#`.
  int32_t scan_metadata(Line& v, const uint8_t* buf, size_t i, size_t end) {
    const size_t ks = i;
    const ptrdiff_t ke_or_fail = scan_metric_key(v, buf, ks, end, o_.allow_digit_leading_sections);
    if (ke_or_fail < 0) {
      v.key_end = ks;
      return fail(v, RC_METADATA_KEY, v.error_at, 0);
    }
    const size_t ke = static_cast<size_t>(ke_or_fail);
    v.key_end = ke;
    const size_t key_length = ke - ks;
    if (static_cast<double>(key_length) < o_.metric_key_min_length ||
        static_cast<double>(key_length) > o_.metric_key_max_length)
      return fail(v, RC_METADATA_KEY, ks, 0);
    if (key_length >= W_RESERVED_KEY_PREFIX_LEN && matches(buf, ks, W_RESERVED_KEY_PREFIX, W_RESERVED_KEY_PREFIX_LEN))
      return fail(v, RC_METADATA_KEY, ks, 0);
    i = ke;
    if (i >= end || buf[i] != SPACE) return fail(v, i >= end ? RC_METADATA_TYPE : RC_METADATA_SYNTAX, i, 0);
    while (i < end && buf[i] == SPACE) i++;
    const size_t ts = i;
    while (i < end && buf[i] != SPACE) i++;
    if (i - ts == W_GAUGE_LEN && matches(buf, ts, W_GAUGE, W_GAUGE_LEN))
      v.payload_type = PT_GAUGE;
    else if (i - ts == W_COUNT_LEN && matches(buf, ts, W_COUNT, W_COUNT_LEN))
      v.payload_type = PT_COUNT;
    else
      return fail(v, RC_METADATA_TYPE, ts, 0);
    while (i < end && buf[i] == SPACE) i++;
    if (i >= end) return fail(v, RC_METADATA_NO_PROPERTY, i, 0);
    for (;;) {
      // dt.meta.<prop> (property names case-insensitive, spec §5 *decided*)
      const size_t prop = i;
      if (end - i <= W_METADATA_PREFIX_LEN || !matches(buf, i, W_METADATA_PREFIX, W_METADATA_PREFIX_LEN)) return fail(v, RC_METADATA_PROPERTY_UNKNOWN, prop, 0);
      i += W_METADATA_PREFIX_LEN;
      const size_t ns = i;
      while (i < end && buf[i] != EQUALS && buf[i] != SPACE && buf[i] != COMMA) i++;
      if (i >= end || buf[i] != EQUALS) return fail(v, RC_METADATA_SYNTAX, i, 0);
      const int which = meta_property_index(buf, ns, i);
      if (which < 0) return fail(v, RC_METADATA_PROPERTY_UNKNOWN, prop, 0);
      const bool unit = which == 2;
      i++;  // '='
      size_t vs = i;
      size_t units = 0;
      if (i < end && buf[i] == QUOTE) {
        const size_t open = i;
        i++;
        vs = i;
        for (;;) {
          if (i >= end) return fail(v, RC_METADATA_VALUE_INVALID, open, 0);
          const uint8_t ch = buf[i];
          if (ch == QUOTE) break;
          if (ch == BACKSLASH) {
            const uint8_t d = i + 1 < end ? buf[i + 1] : 0;
            if (d == QUOTE || d == BACKSLASH || d == 'n') {
              units++;
              i += 2;
              continue;
            }
            // *decided*, as in dimension values: before any other character the backslash is literal;
            // a unit has no backslash character
            if (unit) return fail(v, RC_METADATA_VALUE_INVALID, i, 0);
            units++;
            i++;
            continue;
          }
          if (ch < 128) {
            if ((cls(ch) & C_CONTROL) != 0) return fail(v, RC_METADATA_VALUE_INVALID, i, 0);
            if (unit && UNIT_CHAR[ch] == 0) return fail(v, RC_METADATA_VALUE_INVALID, i, 0);
            units++;
            i++;
          } else {
            const int n = utf8_sequence_length(buf, i, end);
            if (n == 0 || unit) return fail(v, RC_METADATA_VALUE_INVALID, i, 0);
            units += n == 4 ? 2 : 1;
            i += static_cast<size_t>(n);
          }
        }
        i++;
      } else {
        for (; i < end; i++) {
          const uint8_t ch = buf[i];
          if (ch == COMMA || ch == SPACE) break;
          if (ch < 128) {
            if (ch == QUOTE || ch == EQUALS || ch == BACKSLASH || (cls(ch) & C_CONTROL) != 0)
              return fail(v, RC_METADATA_VALUE_INVALID, i, 0);
            if (unit && UNIT_CHAR[ch] == 0) return fail(v, RC_METADATA_VALUE_INVALID, i, 0);
            units++;
          } else {
            const int n = utf8_sequence_length(buf, i, end);
            if (n == 0 || unit) return fail(v, RC_METADATA_VALUE_INVALID, i, 0);
            units += n == 4 ? 2 : 1;
            i += static_cast<size_t>(n) - 1;
          }
        }
        if (i == vs) return fail(v, RC_METADATA_VALUE_INVALID, vs, 0);
      }
      const double limit = unit ? o_.metadata_unit_max_length
                                : which == 0 ? o_.metadata_display_name_max_length : o_.metadata_description_max_length;
      if (static_cast<double>(units) > limit) return fail(v, RC_METADATA_VALUE_TOO_LONG, vs, static_cast<double>(units));
      if (i >= end) return 0;
      if (buf[i] == COMMA) {
        i++;
        continue;
      }
      // a space: only trailing spaces may follow
      while (i < end && buf[i] == SPACE) i++;
      if (i < end) return fail(v, RC_METADATA_SYNTAX, i, 0);
      return 0;
    }
  }
};

}  // namespace


namespace detail {

int32_t scan_line(const Options& options, Line& v, const uint8_t* buf, size_t start, size_t& end) {
  return Scanner(options).scan(v, buf, start, end);
}

}  // namespace detail

size_t scan_lines_reference(const uint8_t* buf, size_t start, size_t end, uint32_t first_line,
                            const Options& options, Results& results) {
  Scanner scanner(options);
  Line v{};
  size_t count = 0;
  uint32_t lines = 0;
  uint32_t skipped_valid = 0;
  size_t pos = start;
  const size_t capacity = results.record_capacity;
  while (pos < end) {
    if (count == capacity) break;
    const void* nl = std::memchr(buf + pos, LF, end - pos);
    // no LF: the rest is one complete line (the caller's promise)
    const size_t raw_end = nl != nullptr ? static_cast<size_t>(static_cast<const uint8_t*>(nl) - buf) : end;
    size_t line_end = raw_end;
    const uint32_t line_number = first_line + lines;
    scanner.scan(v, buf, pos, line_end);
    lines++;
    if (detail::wants_record(options, v)) {
      detail::write_record(buf, options, v, line_number, pos, raw_end, line_end, results.records, results.numbers, count);
      count++;
    } else if (v.kind == KIND_DATA) {
      skipped_valid++;  // validate-only: the count is all the caller needs of this line
    }
    pos = nl != nullptr ? raw_end + 1 : end;
  }
  return detail::finish(results, count, pos, lines, skipped_valid);
}

}  // namespace dt
