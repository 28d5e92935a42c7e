// The metrics line grammar in C++17: the same rules as src/metrics/scanner.ts (the reference), the
// same first-error-left-to-right verdicts, the same byte offsets. Pure C++ with no N-API, so the
// sanitizer driver and the libFuzzer harness can link it on their own.
#pragma once

#include <cstddef>
#include <cstdint>

#include "generated.h"

namespace dt {

// Options: the generated struct of generated.h (Options::from_array reads the JS options array).

// Where scan_lines writes. Capacity-bounded: when `record_capacity` records are written, the scan
// stops at a line boundary and reports how far it got, so the caller calls again.
struct Results {
  int32_t* records;        // record_capacity * REC_STRIDE ints
  double* numbers;         // record_capacity * NUM_STRIDE doubles
  size_t record_capacity;
  size_t count;            // records written
  size_t consumed;         // byte offset where the next call starts
  uint32_t lines;          // physical lines consumed (blank lines included)
  uint32_t skipped_valid;  // valid data lines without warning counted, not recorded (skip_valid)
};

// Scans the lines of buf[start, end): every LF ends a line, and a non-empty segment after the last
// LF is one more (complete) line; the caller guarantees that (the JS splitter passes everything up
// to the last LF of a chunk, or one carried line at a time). Line numbers start at first_line.
// Writes one record per non-blank line (with skip_valid: per non-blank line that is not a valid
// data line without warning; those are counted). Returns the number of records written.
// Reads nothing outside buf[start, end).
//
// This is the fused scan of fused.cc (SIMD block classification, then an acceptor over the
// structural positions that hands every line with a finding to the reference grammar); its
// results equal scan_lines_reference's for every input and options, field for field.
size_t scan_lines(const uint8_t* buf, size_t start, size_t end, uint32_t first_line, const Options& options,
                  Results& results);

// The reference loop: memchr to each LF, then the line grammar of scanner.cc on every line.
size_t scan_lines_reference(const uint8_t* buf, size_t start, size_t end, uint32_t first_line,
                            const Options& options, Results& results);

// The stage-1 kernels (block classification), for tests and benchmarks. kernel_name() says which
// one scan_lines uses on this CPU; use_kernel() picks another and returns false (changing nothing)
// when this build or CPU lacks it.
enum class Kernel { Auto, Scalar, Sse2, Avx2, Neon };
const char* kernel_name();
bool use_kernel(Kernel kernel);

// The number grammar of src/metrics/numbers.ts (parseNumber): NaN when the bytes break the grammar,
// +-Infinity on overflow, otherwise the same double as the reference, bit for bit.
double parse_number(const uint8_t* buf, size_t start, size_t end, bool allow_bare_decimal_point);

}  // namespace dt
