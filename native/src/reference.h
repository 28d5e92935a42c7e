// What the fused scan (fused.cc) shares with the reference scanner (scanner.cc): the state of one
// line, the reference scan of one line, and how a line becomes a record. Internal to native/src.
#pragma once

#include <cstddef>
#include <cstdint>

#include "generated.h"
#include "scanner.h"

namespace dt {
namespace detail {

// The state of one line: what the JS view holds, minus the parts only the reports read. One Line
// lives for a whole scan_lines call, and some fields outlive the line that set them (payload_type
// and a..d are only written when a payload parses), so they reach the records and numbers of later
// lines: the fused scan keeps them exactly as the reference leaves them.
struct Line {
  int32_t kind;
  int32_t error;
  size_t error_at;
  double error_arg;
  int32_t warning;
  int32_t key_suffix;
  int32_t payload_type;
  size_t key_end;
  bool last_value_bare;
  double a, b, c, d;  // value / delta / min, max, sum, count
  double timestamp;
};

// The reference scan of one line buf[start, end) without its LF (a CR may still be there): fills v,
// may move end back over an ignored CR, returns the error code (0 when valid).
int32_t scan_line(const Options& options, Line& v, const uint8_t* buf, size_t start, size_t& end);

// FNV-1a over the key's bytes: the twin of hashKeyBytes in src/protocol/native-layout.ts.
inline uint32_t hash_key_bytes(const uint8_t* buf, size_t start, size_t end) {
  uint32_t h = KEY_HASH_OFFSET;
  for (size_t i = start; i < end; i++) h = (h ^ buf[i]) * KEY_HASH_PRIME;
  return h;
}

inline int32_t clamp_int32(double x) {
  if (!(x >= -2147483648.0)) return x != x ? 0 : INT32_MIN;
  if (x > 2147483647.0) return INT32_MAX;
  return static_cast<int32_t>(x);
}

// Writes the record (and, when wanted, the numbers) of a non-blank line at slot `count`.
inline void write_record(const uint8_t* buf, const Options& options, const Line& v, uint32_t line_number,
                         size_t pos, size_t raw_end, size_t line_end, int32_t* rec, double* num, size_t count) {
  int32_t* r = rec + count * REC_STRIDE;
  r[REC_LINE] = static_cast<int32_t>(line_number);
  r[REC_START] = static_cast<int32_t>(pos);
  r[REC_RAW_END] = static_cast<int32_t>(raw_end);
  r[REC_END] = static_cast<int32_t>(line_end);
  r[REC_KIND] = v.kind;
  r[REC_ERROR] = v.error;
  r[REC_ERROR_AT] = v.error != 0 ? static_cast<int32_t>(v.error_at) : 0;
  r[REC_ERROR_ARG] = v.error != 0 ? clamp_int32(v.error_arg) : 0;
  r[REC_WARNING] = v.warning;
  r[REC_KEY_SUFFIX] = v.key_suffix;
  r[REC_PAYLOAD_TYPE] = v.payload_type;
  r[REC_KEY_END] = static_cast<int32_t>(v.key_end);
  // a valid line whose only finding is the key rewrite: the JS side interns the key by this hash
  r[REC_KEY_HASH] = v.error == 0 && v.warning == RC_METRIC_KEY_CHANGED
                        ? static_cast<int32_t>(hash_key_bytes(buf, pos, v.key_end))
                        : 0;
  if (num != nullptr && (v.error != 0 || options.want_numbers)) {
    double* n = num + count * NUM_STRIDE;
    n[NUM_ERROR_ARG] = v.error != 0 ? v.error_arg : 0;
    n[NUM_TIMESTAMP] = v.timestamp;
    n[NUM_A] = v.a;
    n[NUM_B] = v.b;
    n[NUM_C] = v.c;
    n[NUM_D] = v.d;
  }
}

// Whether a judged line gets a record: every non-blank line, except (validate-only) valid data
// lines without warning, which are only counted.
inline bool wants_record(const Options& options, const Line& v) {
  if (v.kind == KIND_BLANK) return false;
  return !(options.skip_valid && v.kind == KIND_DATA && v.error == 0 && v.warning == 0);
}

// The totals of one scan_lines call.
inline size_t finish(Results& results, size_t count, size_t consumed, uint32_t lines, uint32_t skipped_valid) {
  results.count = count;
  results.consumed = consumed;
  results.lines = lines;
  results.skipped_valid = skipped_valid;
  return count;
}

}  // namespace detail
}  // namespace dt
