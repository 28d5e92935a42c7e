// libFuzzer harness for the C++ core: the first bytes pick the options (limits, decided rules) and
// the record capacity, the rest is the body. Checks the invariants the JS side relies on; ASan and
// UBSan (from run.sh) catch memory errors and undefined behaviour.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "../src/scanner.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 4) return 0;
  const uint8_t a = data[0], b = data[1], c = data[2];
  const size_t capacity = 1 + data[3] % 16;
  data += 4;
  size -= 4;
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
  const dt::Options o = dt::Options::from_array(opt);

  // an exact-size copy, so any read past the end of the body is caught
  uint8_t* buf = static_cast<uint8_t*>(std::malloc(size == 0 ? 1 : size));
  if (size != 0) std::memcpy(buf, data, size);
  std::vector<int32_t> rec(capacity * dt::REC_STRIDE);
  std::vector<double> num(capacity * dt::NUM_STRIDE);
  size_t pos = 0;
  uint32_t line = 1;
  while (pos < size) {
    dt::Results r{rec.data(), num.data(), capacity, 0, 0, 0, 0};
    const size_t count = dt::scan_lines(buf, pos, size, line, o, r);
    if (r.consumed <= pos || r.consumed > size || count > capacity) std::abort();
    for (size_t i = 0; i < count; i++) {
      const int32_t* x = &rec[i * dt::REC_STRIDE];
      if (x[dt::REC_START] < static_cast<int32_t>(pos) || x[dt::REC_END] > x[dt::REC_RAW_END] ||
          x[dt::REC_RAW_END] > static_cast<int32_t>(r.consumed))
        std::abort();
      if (x[dt::REC_ERROR] != 0 && (x[dt::REC_ERROR_AT] < x[dt::REC_START] || x[dt::REC_ERROR_AT] > x[dt::REC_END]))
        std::abort();
    }
    line += r.lines;
    pos = r.consumed;
  }
  std::free(buf);
  return 0;
}
