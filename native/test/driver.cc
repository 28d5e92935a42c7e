// Standalone driver for the C++ core (no Node): feeds files, or generated inputs, through
// dt::scan_lines with several option sets and small record capacities, checking the invariants the
// JS side relies on. Built with -fsanitize=address,undefined by native/sanitize.sh, so any memory
// error or undefined behaviour aborts the run.
//
//   driver [--bench] file...      each file is scanned whole, and line by line, and in pieces
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "../src/scanner.h"

namespace {

int failures = 0;

void check(bool ok, const char* what, size_t at) {
  if (!ok) {
    std::fprintf(stderr, "driver: invariant failed: %s (offset %zu)\n", what, at);
    failures++;
  }
}

dt::Options options_variant(int k, double now) {
  // the generated defaults (now = 0), moved to this now
  double a[dt::OPT_COUNT];
  std::memcpy(a, dt::DEFAULT_OPTIONS, sizeof a);
  a[dt::OPT_TIMESTAMP_MIN] += now;
  a[dt::OPT_TIMESTAMP_MAX] += now;
  a[dt::OPT_WANT_NUMBERS] = 1;
  if (k == 1) {
    // tight limits and the other decided rules, so short inputs reach every limit
    a[dt::OPT_MAX_LINE_LENGTH] = 40;
    a[dt::OPT_METRIC_KEY_MIN_LENGTH] = 0;
    a[dt::OPT_METRIC_KEY_MAX_LENGTH] = 8;
    a[dt::OPT_ALLOW_DIGIT_LEADING_SECTIONS] = 1;
    a[dt::OPT_MAX_DIMENSIONS] = 1;
    a[dt::OPT_DIMENSION_KEY_MAX_LENGTH] = 3;
    a[dt::OPT_DIMENSION_VALUE_MAX_LENGTH] = 4;
    a[dt::OPT_REWRITE_KEY_SUFFIX] = 0;
    a[dt::OPT_TIMESTAMP_MIN] = now;
    a[dt::OPT_TIMESTAMP_MAX] = now;
    a[dt::OPT_IGNORE_CARRIAGE_RETURN] = 0;
    a[dt::OPT_COLLAPSE_SPACES] = 0;
    a[dt::OPT_SUMMARY_ORDER_STRICT] = 0;
    a[dt::OPT_ALLOW_COUNT_WITHOUT_DELTA] = 1;
    a[dt::OPT_ALLOW_BARE_DECIMAL_POINT] = 0;
    a[dt::OPT_METADATA_UNIT_MAX_LENGTH] = 2;
    a[dt::OPT_METADATA_DISPLAY_NAME_MAX_LENGTH] = 3;
    a[dt::OPT_METADATA_DESCRIPTION_MAX_LENGTH] = 5;
    a[dt::OPT_SKIP_VALID] = 1;
  } else if (k == 2) {
    a[dt::OPT_MAX_DIMENSIONS] = 0;
    a[dt::OPT_MAX_LINE_LENGTH] = 1e300;
    a[dt::OPT_DIMENSION_VALUE_MAX_LENGTH] = 0.5;
  }
  return dt::Options::from_array(a);
}

// Scans buf[0, n) with a given record capacity, calling again until everything is consumed.
size_t scan_all(const uint8_t* buf, size_t n, const dt::Options& o, size_t capacity) {
  std::vector<int32_t> rec(capacity * dt::REC_STRIDE + 1);
  std::vector<double> num(capacity * dt::NUM_STRIDE + 1);
  size_t pos = 0, total = 0;
  uint32_t line = 1;
  while (pos < n) {
    dt::Results r{rec.data(), num.data(), capacity, 0, 0, 0, 0};
    const size_t count = dt::scan_lines(buf, pos, n, line, o, r);
    check(r.consumed > pos, "progress", pos);
    check(r.consumed <= n, "consumed within range", pos);
    check(count <= capacity, "capacity respected", pos);
    for (size_t i = 0; i < count; i++) {
      const int32_t* x = &rec[i * dt::REC_STRIDE];
      check(x[dt::REC_START] >= static_cast<int32_t>(pos) && x[dt::REC_END] <= x[dt::REC_RAW_END] &&
                x[dt::REC_RAW_END] <= static_cast<int32_t>(r.consumed),
            "record offsets", pos);
      check(x[dt::REC_KIND] == dt::KIND_DATA || x[dt::REC_KIND] == dt::KIND_METADATA, "kind", pos);
      if (x[dt::REC_ERROR] != 0)
        check(x[dt::REC_ERROR_AT] >= x[dt::REC_START] && x[dt::REC_ERROR_AT] <= x[dt::REC_END], "errorAt in line",
              pos);
    }
    total += count;
    line += r.lines;
    pos = r.consumed;
    if (r.consumed <= pos && count == 0) break;
  }
  return total;
}

void run(const std::vector<uint8_t>& data) {
  // copy into an exact-size heap block so ASan sees any read past the end
  const size_t n = data.size();
  uint8_t* buf = static_cast<uint8_t*>(std::malloc(n == 0 ? 1 : n));
  if (n != 0) std::memcpy(buf, data.data(), n);
  for (int k = 0; k < 3; k++) {
    const dt::Options o = options_variant(k, 1.7e12);
    const size_t whole = scan_all(buf, n, o, 4096);
    check(scan_all(buf, n, o, 1) == whole, "capacity 1 gives the same records", 0);
    // every line on its own, in an exact-size copy (what the JS carry path hands over)
    size_t s = 0;
    while (s < n) {
      const void* nl = std::memchr(buf + s, '\n', n - s);
      const size_t e = nl ? static_cast<size_t>(static_cast<const uint8_t*>(nl) - buf) : n;
      const size_t len = e - s;
      uint8_t* line = static_cast<uint8_t*>(std::malloc(len == 0 ? 1 : len));
      if (len != 0) std::memcpy(line, buf + s, len);
      scan_all(line, len, o, 2);
      std::free(line);
      s = e + 1;
    }
  }
  std::free(buf);
}

std::vector<uint8_t> read_file(const char* path) {
  std::vector<uint8_t> out;
  FILE* f = std::fopen(path, "rb");
  if (!f) {
    std::fprintf(stderr, "driver: cannot open %s\n", path);
    std::exit(2);
  }
  uint8_t tmp[65536];
  size_t got;
  while ((got = std::fread(tmp, 1, sizeof tmp, f)) > 0) out.insert(out.end(), tmp, tmp + got);
  std::fclose(f);
  return out;
}

// Deterministic generated inputs: protocol fragments glued at random, plus random bytes.
void generated(unsigned count) {
  static const char* const parts[] = {
      "cpu.temp", ",host=a", ",k=\"q v\"", ",k=\"unterminated", ",k=a\\ b", ",K=x", ",a.=1", " ", "  ", "42",
      " gauge,1.5", " gauge,min=1,max=2,sum=3,count=2", " gauge,min=0,max=0,sum=0,count=0", " count,delta=5",
      " count,5", " 1700000000000", " 1e309", " -.5", " 5.", "\r", "\n", "#cpu.temp gauge dt.meta.unit=Cel",
      ",dt.meta.displayName=\"x\\\"y\"", "dt.x", "\xc3\xa9", "\xf0\x9f\x98\x80", "\xed\xa0\x80", "\xff", "\\",
      "\"", "=", ",", ".", "_count", ".count", "123456789012345678901234567890", "e+5", "E-400", "\t", "\x7f"};
  const size_t nparts = sizeof parts / sizeof parts[0];
  uint32_t state = 12345;
  auto next = [&state]() {
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    return state;
  };
  for (unsigned t = 0; t < count; t++) {
    std::vector<uint8_t> data;
    const unsigned pieces = next() % 40;
    for (unsigned p = 0; p < pieces; p++) {
      if (next() % 8 == 0) {
        data.push_back(static_cast<uint8_t>(next()));
      } else {
        const char* s = parts[next() % nparts];
        data.insert(data.end(), s, s + std::strlen(s));
      }
    }
    run(data);
  }
}

void bench(const std::vector<uint8_t>& data) {
  const dt::Options o = options_variant(0, 1.7e12);
  const size_t capacity = 1024;
  std::vector<int32_t> rec(capacity * dt::REC_STRIDE);
  std::vector<double> num(capacity * dt::NUM_STRIDE);
  double best = 1e30;
  for (int k = 0; k < 20; k++) {
    const auto t0 = std::chrono::steady_clock::now();
    size_t pos = 0;
    while (pos < data.size()) {
      dt::Results r{rec.data(), num.data(), capacity, 0, 0, 0, 0};
      dt::scan_lines(data.data(), pos, data.size(), 1, o, r);
      pos = r.consumed;
    }
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (s < best) best = s;
  }
  std::printf("driver bench: %zu bytes, best %.3f ms, %.0f MB/s\n", data.size(), best * 1e3, data.size() / 1e6 / best);
}

}  // namespace

int main(int argc, char** argv) {
  bool do_bench = false;
  int files = 0;
  for (int i = 1; i < argc; i++) {
    if (std::strcmp(argv[i], "--bench") == 0) {
      do_bench = true;
      continue;
    }
    const std::vector<uint8_t> data = read_file(argv[i]);
    files++;
    if (do_bench)
      bench(data);
    else
      run(data);
  }
  if (!do_bench) generated(3000);
  if (failures != 0) {
    std::fprintf(stderr, "driver: %d invariant failures\n", failures);
    return 1;
  }
  if (!do_bench) std::printf("driver: %d files and 3000 generated inputs scanned, no invariant failures\n", files);
  return 0;
}
