// N-API entry point: one call scans a whole region of complete lines and writes its records into
// typed arrays the JS side owns and reuses (src/backend/native.ts). No JS strings or objects are
// made here; the only values created are the returned record count and, on a caller bug, an error.
#include <napi.h>

#include "scanner.h"

namespace {

// scanLines(buf: Uint8Array, start, end, firstLine, options: Float64Array, out: Int32Array,
//           numbers: Float64Array) -> records written.
// out[HDR_*] receives the record count, the consumed byte offset and the consumed line count; the
// records follow at HDR_SIZE. Capacity is whatever fits in out and numbers.
Napi::Value ScanLines(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 7 || !info[0].IsTypedArray() || !info[4].IsTypedArray() || !info[5].IsTypedArray() ||
      !info[6].IsTypedArray()) {
    Napi::TypeError::New(env, "dt-ingest native: scanLines(buf, start, end, firstLine, options, out, numbers)")
        .ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Napi::TypedArray buf_any = info[0].As<Napi::TypedArray>();
  Napi::TypedArray opt_any = info[4].As<Napi::TypedArray>();
  Napi::TypedArray out_any = info[5].As<Napi::TypedArray>();
  Napi::TypedArray num_any = info[6].As<Napi::TypedArray>();
  if (buf_any.TypedArrayType() != napi_uint8_array || opt_any.TypedArrayType() != napi_float64_array ||
      out_any.TypedArrayType() != napi_int32_array || num_any.TypedArrayType() != napi_float64_array) {
    Napi::TypeError::New(env, "dt-ingest native: wrong typed array types").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Napi::Uint8Array buf = buf_any.As<Napi::Uint8Array>();
  Napi::Float64Array opt = opt_any.As<Napi::Float64Array>();
  Napi::Int32Array out = out_any.As<Napi::Int32Array>();
  Napi::Float64Array num = num_any.As<Napi::Float64Array>();
  const double start_d = info[1].As<Napi::Number>().DoubleValue();
  const double end_d = info[2].As<Napi::Number>().DoubleValue();
  const double first_d = info[3].As<Napi::Number>().DoubleValue();
  const size_t length = buf.ElementLength();
  // offsets are written as int32: the JS side never hands over more than 2^31 - 1 bytes
  if (!(start_d >= 0) || !(end_d >= start_d) || end_d > static_cast<double>(length) || end_d > 2147483647.0 ||
      !(first_d >= 0) || opt.ElementLength() < dt::OPT_COUNT || out.ElementLength() < dt::HDR_SIZE) {
    Napi::RangeError::New(env, "dt-ingest native: bad range or array sizes").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  const dt::Options options = dt::Options::from_array(opt.Data());
  size_t capacity = (out.ElementLength() - dt::HDR_SIZE) / dt::REC_STRIDE;
  const size_t num_capacity = num.ElementLength() / dt::NUM_STRIDE;
  if (num_capacity < capacity) capacity = num_capacity;
  int32_t* header = out.Data();
  dt::Results results{header + dt::HDR_SIZE, num.Data(), capacity, 0, 0, 0, 0};
  dt::scan_lines(buf.Data(), static_cast<size_t>(start_d), static_cast<size_t>(end_d),
                 static_cast<uint32_t>(first_d), options, results);
  header[dt::HDR_RECORDS] = static_cast<int32_t>(results.count);
  header[dt::HDR_CONSUMED] = static_cast<int32_t>(results.consumed);
  header[dt::HDR_LINES] = static_cast<int32_t>(results.lines);
  header[dt::HDR_SKIPPED_VALID] = static_cast<int32_t>(results.skipped_valid);
  return Napi::Number::New(env, static_cast<double>(results.count));
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("scanLines", Napi::Function::New(env, ScanLines, "scanLines"));
  // lets the JS side refuse an addon built from a different layout
  exports.Set("recordStride", Napi::Number::New(env, dt::REC_STRIDE));
  exports.Set("optionCount", Napi::Number::New(env, dt::OPT_COUNT));
  return exports;
}

}  // namespace

NODE_API_MODULE(dt_ingest, Init)
