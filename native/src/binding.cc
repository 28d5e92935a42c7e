// N-API entry point: one call scans a whole region of complete lines and writes its records into
// typed arrays the JS side owns and reuses (src/metrics/parser.ts). No JS strings or objects are
// made here; the only values created are the returned record count and, on a caller bug, an error.
//
// Written against the plain C API (node_api.h): a call is on the hot path of every small body, and
// each N-API call costs tens of nanoseconds, so the checks use the fewest and cheapest calls that
// still keep every access inside the arrays handed over: napi_get_cb_info once; for the input, one
// napi_get_typedarray_info (it must be a Uint8Array); for the options and the two output arrays,
// napi_get_buffer_info, which takes any typed array view and gives its data and byte length without
// napi_get_typedarray_info's walk through the eleven typed array types (measured: that walk was a
// third of the cost of a call). The byte lengths bound every read and write, and the pointers must
// be aligned for their element type, so an array of the wrong type gives wrong numbers at worst,
// never a wrong memory access (and the JS side passes only Float64Array, Int32Array, Float64Array).
#include <node_api.h>

#include <cstring>

#include "scanner.h"

namespace {

constexpr size_t ARGC = 7;
const char* const USAGE = "dt-ingest native: scanLines(buf, start, end, firstLine, options, out, numbers)";

// A typed array of the wanted type: its data and element count, or false.
bool typed_array(napi_env env, napi_value value, napi_typedarray_type want, void** data, size_t* length) {
  // napi_get_typedarray_info refuses (napi_invalid_arg) anything that is not a typed array
  napi_typedarray_type type;
  napi_value buffer;
  size_t offset;
  if (napi_get_typedarray_info(env, value, &type, length, data, &buffer, &offset) != napi_ok) return false;
  if (*data == nullptr && *length != 0) return false;
  return type == want;
}

// Any typed array (or DataView): its data and byte length, if the data is aligned for T.
template <typename T>
bool view_of(napi_env env, napi_value value, T** data, size_t* count) {
  void* raw = nullptr;
  size_t bytes = 0;
  if (napi_get_buffer_info(env, value, &raw, &bytes) != napi_ok) return false;
  if (raw == nullptr) {
    if (bytes != 0) return false;
    *data = nullptr;
    *count = 0;
    return true;
  }
  if (reinterpret_cast<uintptr_t>(raw) % alignof(T) != 0) return false;
  *data = static_cast<T*>(raw);
  *count = bytes / sizeof(T);
  return true;
}

bool number(napi_env env, napi_value value, double* out) {
  return napi_get_value_double(env, value, out) == napi_ok;
}

napi_value fail(napi_env env, const char* message, bool range) {
  if (range)
    napi_throw_range_error(env, nullptr, message);
  else
    napi_throw_type_error(env, nullptr, message);
  return nullptr;
}

// scanLines(buf: Uint8Array, start, end, firstLine, options: Float64Array, out: Int32Array,
//           numbers: Float64Array) -> records written.
// out[HDR_*] receives the record count, the consumed byte offset, the consumed line count and the
// count of valid lines skipped; the records follow at HDR_SIZE. Capacity is whatever fits in out
// and numbers.
napi_value ScanLines(napi_env env, napi_callback_info info) {
  size_t argc = ARGC;
  napi_value argv[ARGC];
  if (napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr) != napi_ok || argc < ARGC) return fail(env, USAGE, false);
  void* buf_data = nullptr;
  const double* opt_data = nullptr;
  int32_t* out_data = nullptr;
  double* num_data = nullptr;
  size_t buf_len = 0, opt_len = 0, out_len = 0, num_len = 0;
  if (!typed_array(env, argv[0], napi_uint8_array, &buf_data, &buf_len) || !view_of(env, argv[4], &opt_data, &opt_len) ||
      !view_of(env, argv[5], &out_data, &out_len) || !view_of(env, argv[6], &num_data, &num_len))
    return fail(env, "dt-ingest native: wrong typed array types", false);
  double start_d = 0, end_d = 0, first_d = 0;
  if (!number(env, argv[1], &start_d) || !number(env, argv[2], &end_d) || !number(env, argv[3], &first_d))
    return fail(env, USAGE, false);
  // offsets are written as int32: the JS side never hands over more than 2^31 - 1 bytes
  if (!(start_d >= 0) || !(end_d >= start_d) || end_d > static_cast<double>(buf_len) || end_d > 2147483647.0 ||
      !(first_d >= 0) || first_d > 4294967295.0 || opt_len < dt::OPT_COUNT || out_len < dt::HDR_SIZE)
    return fail(env, "dt-ingest native: bad range or array sizes", true);
  const dt::Options options = dt::Options::from_array(opt_data);
  size_t capacity = (out_len - dt::HDR_SIZE) / dt::REC_STRIDE;
  const size_t num_capacity = num_len / dt::NUM_STRIDE;
  if (num_capacity < capacity) capacity = num_capacity;
  int32_t* header = out_data;
  dt::Results results{header + dt::HDR_SIZE, num_data, capacity, 0, 0, 0, 0};
  dt::scan_lines(static_cast<const uint8_t*>(buf_data), static_cast<size_t>(start_d), static_cast<size_t>(end_d),
                 static_cast<uint32_t>(first_d), options, results);
  header[dt::HDR_RECORDS] = static_cast<int32_t>(results.count);
  header[dt::HDR_CONSUMED] = static_cast<int32_t>(results.consumed);
  header[dt::HDR_LINES] = static_cast<int32_t>(results.lines);
  header[dt::HDR_SKIPPED_VALID] = static_cast<int32_t>(results.skipped_valid);
  napi_value count;
  if (napi_create_uint32(env, static_cast<uint32_t>(results.count), &count) != napi_ok) return nullptr;
  return count;
}

// setKernel(name: 'auto' | 'scalar' | 'sse2' | 'avx2' | 'neon') -> whether this build and CPU run it.
// For tests and benchmarks: the kernel is process-wide.
napi_value SetKernel(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value arg;
  char name[16] = {};
  size_t length = 0;
  if (napi_get_cb_info(env, info, &argc, &arg, nullptr, nullptr) != napi_ok || argc < 1 ||
      napi_get_value_string_utf8(env, arg, name, sizeof name, &length) != napi_ok)
    return fail(env, "dt-ingest native: setKernel(name)", false);
  static const struct {
    const char* name;
    dt::Kernel kernel;
  } KERNELS[] = {{"auto", dt::Kernel::Auto}, {"scalar", dt::Kernel::Scalar}, {"sse2", dt::Kernel::Sse2},
                 {"avx2", dt::Kernel::Avx2}, {"neon", dt::Kernel::Neon}};
  bool ok = false;
  for (const auto& k : KERNELS)
    if (std::strcmp(k.name, name) == 0) ok = dt::use_kernel(k.kernel);
  napi_value result;
  if (napi_get_boolean(env, ok, &result) != napi_ok) return nullptr;
  return result;
}

napi_value KernelName(napi_env env, napi_callback_info) {
  napi_value name;
  if (napi_create_string_utf8(env, dt::kernel_name(), NAPI_AUTO_LENGTH, &name) != napi_ok) return nullptr;
  return name;
}

bool set_function(napi_env env, napi_value exports, const char* name, napi_callback cb) {
  napi_value fn;
  return napi_create_function(env, name, NAPI_AUTO_LENGTH, cb, nullptr, &fn) == napi_ok &&
         napi_set_named_property(env, exports, name, fn) == napi_ok;
}

bool set_number(napi_env env, napi_value exports, const char* name, double value) {
  napi_value v;
  return napi_create_double(env, value, &v) == napi_ok && napi_set_named_property(env, exports, name, v) == napi_ok;
}

}  // namespace

NAPI_MODULE_INIT() {
  // lets the JS side refuse an addon built from a different layout
  if (!set_function(env, exports, "scanLines", ScanLines) || !set_number(env, exports, "recordStride", dt::REC_STRIDE) ||
      !set_number(env, exports, "optionCount", dt::OPT_COUNT))
    return nullptr;
  // which stage-1 kernel scans (kernel()), and another one for tests and benchmarks (setKernel)
  if (!set_function(env, exports, "kernel", KernelName) || !set_function(env, exports, "setKernel", SetKernel))
    return nullptr;
  return exports;
}
