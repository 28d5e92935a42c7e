// The check shared by the sanitizer driver and the libFuzzer harness: dt::scan_lines (the fused
// scan, on whichever stage-1 kernel is installed) against dt::scan_lines_reference (memchr and the
// line grammar), call by call with the same record capacity. Both write into arrays pre-filled with
// the same sentinel, and the whole arrays must then be equal bit for bit, with the same header
// values (records, consumed, lines, skipped valid lines): a record written twice, a number left
// where the reference writes none, or one stale value carried differently is a difference.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <vector>

#include "../src/scanner.h"

namespace dt_test {

struct Call {
  size_t count, consumed;
  uint32_t lines, skipped_valid;
};

// One scan of buf[start, end) in calls of `capacity` records, with the invariants the JS side
// relies on (progress, bounds, offsets inside the line). Appends each call's outputs. Returns
// false (with a message in *why) when an invariant breaks.
template <typename ScanFn>
bool scan_calls(ScanFn scan, const uint8_t* buf, size_t start, size_t end, uint32_t first_line, const dt::Options& o,
                size_t capacity, std::vector<Call>& calls, std::vector<int32_t>& records, std::vector<double>& numbers,
                const char** why) {
  static thread_local std::vector<int32_t> rec;
  static thread_local std::vector<double> num;
  rec.resize(capacity * dt::REC_STRIDE + 1);
  num.resize(capacity * dt::NUM_STRIDE + 1);
  size_t pos = start;
  uint32_t line = first_line;
  while (pos < end) {
    for (auto& x : rec) x = -7;
    for (auto& x : num) x = -7.25;
    dt::Results r{rec.data(), num.data(), capacity, 0, 0, 0, 0};
    const size_t count = scan(buf, pos, end, line, o, r);
    if (count != r.count || r.consumed <= pos || r.consumed > end || count > capacity) {
      *why = "progress, bounds or count";
      return false;
    }
    for (size_t i = 0; i < count; i++) {
      const int32_t* x = &rec[i * dt::REC_STRIDE];
      if (x[dt::REC_START] < static_cast<int32_t>(pos) || x[dt::REC_END] > x[dt::REC_RAW_END] ||
          x[dt::REC_RAW_END] > static_cast<int32_t>(r.consumed)) {
        *why = "record offsets";
        return false;
      }
      if (x[dt::REC_KIND] != dt::KIND_DATA && x[dt::REC_KIND] != dt::KIND_METADATA) {
        *why = "record kind";
        return false;
      }
      if (x[dt::REC_ERROR] != 0 && (x[dt::REC_ERROR_AT] < x[dt::REC_START] || x[dt::REC_ERROR_AT] > x[dt::REC_END])) {
        *why = "errorAt outside the line";
        return false;
      }
    }
    calls.push_back(Call{count, r.consumed, r.lines, r.skipped_valid});
    records.insert(records.end(), rec.begin(), rec.end());
    numbers.insert(numbers.end(), num.begin(), num.end());
    line += r.lines;
    pos = r.consumed;
  }
  return true;
}

// Fused against reference on the same input, options and capacity. Returns false and prints what
// differs on stderr.
inline bool same_as_reference(const uint8_t* buf, size_t start, size_t end, uint32_t first_line, const dt::Options& o,
                              size_t capacity) {
  static thread_local std::vector<Call> c1, c2;
  static thread_local std::vector<int32_t> r1, r2;
  static thread_local std::vector<double> n1, n2;
  c1.clear(), c2.clear(), r1.clear(), r2.clear(), n1.clear(), n2.clear();
  const char* why = nullptr;
  if (!scan_calls(dt::scan_lines_reference, buf, start, end, first_line, o, capacity, c1, r1, n1, &why)) {
    std::fprintf(stderr, "reference: invariant failed: %s\n", why);
    return false;
  }
  if (!scan_calls(dt::scan_lines, buf, start, end, first_line, o, capacity, c2, r2, n2, &why)) {
    std::fprintf(stderr, "fused (%s): invariant failed: %s\n", dt::kernel_name(), why);
    return false;
  }
  if (c1.size() != c2.size()) {
    std::fprintf(stderr, "fused (%s): %zu calls, reference %zu\n", dt::kernel_name(), c2.size(), c1.size());
    return false;
  }
  for (size_t i = 0; i < c1.size(); i++) {
    if (c1[i].count != c2[i].count || c1[i].consumed != c2[i].consumed || c1[i].lines != c2[i].lines ||
        c1[i].skipped_valid != c2[i].skipped_valid) {
      std::fprintf(stderr,
                   "fused (%s): call %zu header differs: records %zu/%zu consumed %zu/%zu lines %u/%u skipped %u/%u "
                   "(fused/reference)\n",
                   dt::kernel_name(), i, c2[i].count, c1[i].count, c2[i].consumed, c1[i].consumed, c2[i].lines,
                   c1[i].lines, c2[i].skipped_valid, c1[i].skipped_valid);
      return false;
    }
  }
  for (size_t i = 0; i < r1.size(); i++) {
    if (r1[i] != r2[i]) {
      std::fprintf(stderr, "fused (%s): record int %zu (field %zu) differs: %d, reference %d\n", dt::kernel_name(), i,
                   i % (capacity * dt::REC_STRIDE + 1) % dt::REC_STRIDE, r2[i], r1[i]);
      return false;
    }
  }
  if (n1.size() != n2.size() || (!n1.empty() && std::memcmp(n1.data(), n2.data(), n1.size() * sizeof(double)) != 0)) {
    for (size_t i = 0; i < n1.size(); i++) {
      if (std::memcmp(&n1[i], &n2[i], sizeof(double)) != 0) {
        std::fprintf(stderr, "fused (%s): number %zu differs: %.17g, reference %.17g\n", dt::kernel_name(), i, n2[i],
                     n1[i]);
        break;
      }
    }
    return false;
  }
  return true;
}

// The stage-1 kernels this build and CPU can run (the automatic choice last, so it stays installed).
inline std::vector<dt::Kernel> available_kernels() {
  std::vector<dt::Kernel> out;
  for (dt::Kernel k : {dt::Kernel::Scalar, dt::Kernel::Sse2, dt::Kernel::Neon, dt::Kernel::Avx2, dt::Kernel::Auto})
    if (dt::use_kernel(k)) out.push_back(k);
  return out;
}

}  // namespace dt_test
