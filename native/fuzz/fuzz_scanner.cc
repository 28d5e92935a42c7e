// libFuzzer harness for the C++ core: the first bytes pick the options (limits, decided rules,
// skip-valid and numbers), the record capacity, the stage-1 kernel and where the region starts;
// the rest is the body. The fused scan (dt::scan_lines) must give exactly the records, numbers and
// counts of the reference loop (dt::scan_lines_reference), call by call (native/test/compare.h);
// any difference aborts. ASan and UBSan (from run.sh) catch memory errors and undefined behaviour;
// the body is an exact-size heap copy, so a read past its end is caught too.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "../src/scanner.h"
#include "../test/compare.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 6) return 0;
  const uint8_t a = data[0], b = data[1], c = data[2], d = data[4], e = data[5];
  const size_t capacity = 1 + data[3] % 16;
  data += 6;
  size -= 6;
  const double now = 1.7e12;
  double opt[dt::OPT_COUNT];
  std::memcpy(opt, dt::DEFAULT_OPTIONS, sizeof opt);  // generated defaults, now = 0
  opt[dt::OPT_TIMESTAMP_MIN] += now;
  opt[dt::OPT_TIMESTAMP_MAX] += now;
  opt[dt::OPT_MAX_LINE_LENGTH] = (a & 1) ? 24 : 50000;
  opt[dt::OPT_METRIC_KEY_MIN_LENGTH] = (a >> 1) & 3;
  opt[dt::OPT_METRIC_KEY_MAX_LENGTH] = (a & 8) ? 6 : 255;
  opt[dt::OPT_ALLOW_DIGIT_LEADING_SECTIONS] = (a >> 4) & 1;
  opt[dt::OPT_MAX_DIMENSIONS] = (a >> 5) & 3;
  opt[dt::OPT_DIMENSION_KEY_MAX_LENGTH] = (b & 1) ? 3 : 100;
  opt[dt::OPT_DIMENSION_VALUE_MAX_LENGTH] = (b & 2) ? 4 : 250;
  opt[dt::OPT_REWRITE_KEY_SUFFIX] = (b >> 2) & 1;
  opt[dt::OPT_IGNORE_CARRIAGE_RETURN] = (b >> 3) & 1;
  opt[dt::OPT_COLLAPSE_SPACES] = (b >> 4) & 1;
  opt[dt::OPT_SUMMARY_ORDER_STRICT] = (b >> 5) & 1;
  opt[dt::OPT_ALLOW_COUNT_WITHOUT_DELTA] = (b >> 6) & 1;
  opt[dt::OPT_ALLOW_BARE_DECIMAL_POINT] = (b >> 7) & 1;
  opt[dt::OPT_METADATA_UNIT_MAX_LENGTH] = (c & 1) ? 2 : 63;
  opt[dt::OPT_METADATA_DISPLAY_NAME_MAX_LENGTH] = (c & 2) ? 3 : 300;
  opt[dt::OPT_WANT_NUMBERS] = (c >> 2) & 1;
  opt[dt::OPT_SKIP_VALID] = (c >> 3) & 1;
  if (c & 16) {
    // a wide timestamp window, so that random digits pass it too
    opt[dt::OPT_TIMESTAMP_MIN] = 0;
    opt[dt::OPT_TIMESTAMP_MAX] = (c & 32) ? 1e300 : 1e15;
  }
  if (c & 64) opt[dt::OPT_MAX_DIMENSIONS] = 1e9;
  if (d & 128) {
    // fractional limits (the fused scan compares integers with their floor and ceiling)
    for (int slot : {dt::OPT_MAX_LINE_LENGTH, dt::OPT_METRIC_KEY_MIN_LENGTH, dt::OPT_METRIC_KEY_MAX_LENGTH,
                     dt::OPT_MAX_DIMENSIONS, dt::OPT_DIMENSION_KEY_MAX_LENGTH, dt::OPT_DIMENSION_VALUE_MAX_LENGTH})
      opt[slot] += 0.5;
  }
  const dt::Options o = dt::Options::from_array(opt);

  // the kernel: this build's and CPU's list, by the fifth byte's low bits (the automatic choice is last)
  static const std::vector<dt::Kernel> kernels = dt_test::available_kernels();
  dt::use_kernel(kernels[(d & 127) % kernels.size()]);

  // an exact-size copy, so any read past the end of the body is caught; the region starts at an
  // offset picked by the sixth byte
  uint8_t* buf = static_cast<uint8_t*>(std::malloc(size == 0 ? 1 : size));
  if (size != 0) std::memcpy(buf, data, size);
  const size_t start = size == 0 ? 0 : (e < 200 ? 0 : e % (size + 1));
  if (!dt_test::same_as_reference(buf, start, size, 1, o, capacity)) std::abort();
  std::free(buf);
  return 0;
}
