// Standalone driver for the C++ core (no Node): feeds files, or generated inputs, through the fused
// dt::scan_lines and the reference dt::scan_lines_reference with several option sets, small record
// capacities and every stage-1 kernel this CPU runs, and requires equal results bit for bit (see
// compare.h), plus the invariants the JS side relies on. Built with -fsanitize=address,undefined by
// native/sanitize.sh, so any memory error or undefined behaviour aborts the run; every scan also
// runs on an exact-size heap copy, so a read past either end of the region is caught.
//
//   driver file...            each file is scanned whole, from several offsets, and line by line
//   driver --bench file...    MB/s of the reference loop and of the fused scan on each kernel
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "../src/scanner.h"
#include "compare.h"

namespace {

int failures = 0;
size_t comparisons = 0;

constexpr int VARIANTS = 7;

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
  } else if (k == 3) {
    // validate-only, as the JS validator calls it
    a[dt::OPT_WANT_NUMBERS] = 0;
    a[dt::OPT_SKIP_VALID] = 1;
  } else if (k == 4) {
    // full views: a record per line, no numbers
    a[dt::OPT_WANT_NUMBERS] = 0;
  } else if (k == 5) {
    // wide limits, every line recorded with its numbers, a timestamp window of any size
    a[dt::OPT_MAX_LINE_LENGTH] = 1e300;
    a[dt::OPT_METRIC_KEY_MIN_LENGTH] = 1;
    a[dt::OPT_MAX_DIMENSIONS] = 1e9;
    a[dt::OPT_DIMENSION_KEY_MAX_LENGTH] = 1e9;
    a[dt::OPT_DIMENSION_VALUE_MAX_LENGTH] = 1e9;
    a[dt::OPT_TIMESTAMP_MIN] = 0;
    a[dt::OPT_TIMESTAMP_MAX] = 1e300;
    a[dt::OPT_SUMMARY_ORDER_STRICT] = 0;
    a[dt::OPT_SKIP_VALID] = 1;
  } else if (k == 6) {
    // fractional limits: the fused scan compares integers with their floor and ceiling
    a[dt::OPT_MAX_LINE_LENGTH] = 60.5;
    a[dt::OPT_METRIC_KEY_MIN_LENGTH] = 2.5;
    a[dt::OPT_METRIC_KEY_MAX_LENGTH] = 9.5;
    a[dt::OPT_MAX_DIMENSIONS] = 1.5;
    a[dt::OPT_DIMENSION_KEY_MAX_LENGTH] = 4.5;
    a[dt::OPT_DIMENSION_VALUE_MAX_LENGTH] = 5.5;
    a[dt::OPT_SKIP_VALID] = 1;
    a[dt::OPT_WANT_NUMBERS] = 0;
  }
  return dt::Options::from_array(a);
}

void compare(const uint8_t* buf, size_t start, size_t end, const dt::Options& o, size_t capacity, const char* what) {
  comparisons++;
  if (!dt_test::same_as_reference(buf, start, end, 1, o, capacity)) {
    std::fprintf(stderr, "driver: %s: fused differs from the reference (region %zu..%zu, capacity %zu)\n", what,
                 start, end, capacity);
    failures++;
  }
}

// An exact-size heap copy of data[s, e): ASan sees a read past either end.
struct Copy {
  uint8_t* p;
  size_t n;
  Copy(const uint8_t* data, size_t s, size_t e) : p(static_cast<uint8_t*>(std::malloc(e - s == 0 ? 1 : e - s))), n(e - s) {
    if (n != 0) std::memcpy(p, data + s, n);
  }
  ~Copy() { std::free(p); }
  Copy(const Copy&) = delete;
  Copy& operator=(const Copy&) = delete;
};

void run(const std::vector<uint8_t>& data, bool thorough) {
  const size_t n = data.size();
  const Copy whole(data.data(), 0, n);
  for (dt::Kernel kernel : dt_test::available_kernels()) {
    dt::use_kernel(kernel);
    for (int k = 0; k < VARIANTS; k++) {
      const dt::Options o = options_variant(k, 1.7e12);
      compare(whole.p, 0, n, o, 512, "whole");
      compare(whole.p, 0, n, o, 1, "whole, capacity 1");
      if (!thorough) continue;
      compare(whole.p, 0, n, o, 3, "whole, capacity 3");
      // regions that start and end anywhere (a region may start inside a line: it is a line then)
      for (size_t s : {size_t{1}, size_t{7}, size_t{63}, size_t{64}, size_t{65}, n / 3, n / 2}) {
        if (s >= n) continue;
        compare(whole.p, s, n, o, 512, "from an offset");
        const Copy tail(data.data(), s, n);
        compare(tail.p, 0, tail.n, o, 2, "exact-size tail");
        const Copy mid(data.data(), s / 2, s);
        compare(mid.p, 0, mid.n, o, 512, "exact-size middle");
      }
      // every line on its own, in an exact-size copy (what the JS carry path hands over)
      size_t s = 0;
      while (s < n) {
        const void* nl = std::memchr(data.data() + s, '\n', n - s);
        const size_t e = nl ? static_cast<size_t>(static_cast<const uint8_t*>(nl) - data.data()) : n;
        const Copy line(data.data(), s, e);
        compare(line.p, 0, line.n, o, 2, "one line");
        if (e < n) {
          const Copy with_lf(data.data(), s, e + 1);
          compare(with_lf.p, 0, with_lf.n, o, 2, "one line with its LF");
        }
        s = e + 1;
      }
    }
  }
  dt::use_kernel(dt::Kernel::Auto);
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

// Deterministic generated inputs: protocol fragments glued at random, plus random bytes, and lines
// of the benchmark's shape with one random change (so that most lines are valid or nearly so and
// the fused acceptor is tested on the edges of what it accepts).
uint32_t rng_state = 12345;
uint32_t next_random() {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 17;
  rng_state ^= rng_state << 5;
  return rng_state;
}

void append(std::vector<uint8_t>& data, const char* s) { data.insert(data.end(), s, s + std::strlen(s)); }

void generated(unsigned count) {
  static const char* const parts[] = {
      "cpu.temp", ",host=a", ",k=\"q v\"", ",k=\"unterminated", ",k=a\\ b", ",K=x", ",a.=1", " ", "  ", "42",
      " gauge,1.5", " gauge,min=1,max=2,sum=3,count=2", " gauge,min=0,max=0,sum=0,count=0", " count,delta=5",
      " count,5", " 1700000000000", " 1e309", " -.5", " 5.", "\r", "\n", "#cpu.temp gauge dt.meta.unit=Cel",
      ",dt.meta.displayName=\"x\\\"y\"", "dt.x", "\xc3\xa9", "\xf0\x9f\x98\x80", "\xed\xa0\x80", "\xff", "\\",
      "\"", "=", ",", ".", "_count", ".count", "123456789012345678901234567890", "e+5", "E-400", "\t", "\x7f"};
  static const char* const lines[] = {
      "disk.io.read_bytes,dt.entity.host=HOST-CC0D06F288EE2A93,host=web-01,area=nonheap,dt.metrics.source=micrometer "
      "gauge,27123.61 1700000000000\n",
      "system.cpu.usage,uri=\"/api/v1/users/{id}\",method=GET,status=200,outcome=SUCCESS,host=batch-07 "
      "gauge,min=88,max=162,sum=1625,count=13\n",
      "http.server.requests,uri=\"/api/v1/orders\",host=api-gw-eu-west-1a gauge,min=47,max=130,sum=88.5,count=1 "
      "1699999814656\n",
      "process.files.open,service.name=checkout\\ service,host=api-gw-eu-west-1a,region=eu-west-1 count,delta=719\n",
      "kafka.consumer.lag.count,service.name=checkout\\ service,host=db.primary count,delta=5 1700000000001\r\n",
      "cache.gets.ratio,host=web-02 8158\n",
      "a.b,k=\"x\\\"y\\\\z\\q\",e=,f=\"\" -0.000\n",
      "_x.y-z.Q_1,a_b:c-d.e=1\\,2\\=3\\\"4\\\\5\\x 0\n",
      "k.gauge_count gauge,min=-1.5,max=2,sum=0.5,count=1\n",
      "m.count gauge,0\n",
      "jvm.memory.used,area=heap,host=web-01 gauge,4.2e6\n",
      "a.b 1.5E-4 1700000000000\n",
      "a.b,c=d -7e298\n",
      "a.b 99e299\n",
      "a.b count,delta=1e+05\n",
      "a.b 1e-400\n",
      "\n",
      "#cpu.temp gauge dt.meta.unit=Cel\n",
  };
  const size_t nparts = sizeof parts / sizeof parts[0];
  const size_t nlines = sizeof lines / sizeof lines[0];
  for (unsigned t = 0; t < count; t++) {
    std::vector<uint8_t> data;
    if (t % 2 == 0) {
      const unsigned pieces = next_random() % 40;
      for (unsigned p = 0; p < pieces; p++) {
        if (next_random() % 8 == 0)
          data.push_back(static_cast<uint8_t>(next_random()));
        else
          append(data, parts[next_random() % nparts]);
      }
    } else {
      const unsigned count_lines = 1 + next_random() % 12;
      for (unsigned l = 0; l < count_lines; l++) {
        const size_t at = data.size();
        append(data, lines[next_random() % nlines]);
        const size_t len = data.size() - at;
        if (len == 0) continue;
        // one random change: a byte replaced, inserted or removed, or a fragment inserted
        const size_t where = at + next_random() % len;
        switch (next_random() % 6) {
          case 0:
            data[where] = static_cast<uint8_t>(next_random());
            break;
          case 1:
            data.insert(data.begin() + static_cast<ptrdiff_t>(where), static_cast<uint8_t>(next_random() % 128));
            break;
          case 2:
            data.erase(data.begin() + static_cast<ptrdiff_t>(where));
            break;
          case 3: {
            const char* s = parts[next_random() % nparts];
            data.insert(data.begin() + static_cast<ptrdiff_t>(where), s, s + std::strlen(s));
            break;
          }
          default:
            break;  // unchanged
        }
      }
      if (next_random() % 4 == 0 && !data.empty()) data.pop_back();  // no LF at the end
    }
    run(data, true);
  }
}

// Long lines and blocks: lines longer than the fused scan's ring (16 KB), lines that end exactly
// on block boundaries, a region of one huge line without LF.
void long_lines() {
  std::vector<uint8_t> data;
  for (size_t width : {size_t{62}, size_t{63}, size_t{64}, size_t{65}, size_t{127}, size_t{128}}) {
    std::string line = "a.b,k=";
    while (line.size() + 3 < width) line += 'v';
    line += " 1\n";
    for (int r = 0; r < 300; r++) append(data, line.c_str());
  }
  std::string big = "big.line";
  for (int d = 0; d < 2000; d++) big += ",d" + std::to_string(d) + "=" + std::string(5, 'x');
  big += " 1\n";
  for (int r = 0; r < 3; r++) {
    append(data, big.c_str());
    append(data, "cpu.temp,host=a 42\n");
  }
  append(data, std::string(70000, 'x').c_str());
  run(data, false);
  std::vector<uint8_t> one(big.begin(), big.end());
  run(one, true);
}

// Best of 15 runs of one scan function over the whole body, validate-only options, in MB/s.
template <typename ScanFn>
double best_mbs(ScanFn scan, const std::vector<uint8_t>& data, const dt::Options& o) {
  const size_t capacity = 1024;
  std::vector<int32_t> rec(capacity * dt::REC_STRIDE);
  std::vector<double> num(capacity * dt::NUM_STRIDE);
  double best = 1e30;
  for (int k = 0; k < 15; k++) {
    const auto t0 = std::chrono::steady_clock::now();
    size_t pos = 0;
    while (pos < data.size()) {
      dt::Results r{rec.data(), num.data(), capacity, 0, 0, 0, 0};
      scan(data.data(), pos, data.size(), 1, o, r);
      pos = r.consumed;
    }
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (s < best) best = s;
  }
  return data.size() / 1e6 / best;
}

void bench(const char* name, const std::vector<uint8_t>& data) {
  const dt::Options o = options_variant(3, 1.7e12);
  std::printf("%s (%zu bytes, validate-only): reference %.0f MB/s", name, data.size(), best_mbs(dt::scan_lines_reference, data, o));
  for (dt::Kernel kernel : dt_test::available_kernels()) {
    if (kernel == dt::Kernel::Auto) continue;
    dt::use_kernel(kernel);
    std::printf(", fused %s %.0f MB/s", dt::kernel_name(), best_mbs(dt::scan_lines, data, o));
  }
  dt::use_kernel(dt::Kernel::Auto);
  std::printf("\n");
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
      bench(argv[i], data);
    else
      run(data, data.size() < 100000);
  }
  if (do_bench) return 0;
  generated(3000);
  long_lines();
  if (failures != 0) {
    std::fprintf(stderr, "driver: %d differences or invariant failures\n", failures);
    return 1;
  }
  std::printf("driver: %d files and 3000 generated inputs, %zu comparisons of the fused scan with the reference on kernels", files, comparisons);
  for (dt::Kernel kernel : dt_test::available_kernels()) {
    if (kernel == dt::Kernel::Auto) continue;
    dt::use_kernel(kernel);
    std::printf(" %s", dt::kernel_name());
  }
  dt::use_kernel(dt::Kernel::Auto);
  std::printf(": all equal, no invariant failures\n");
  return 0;
}
