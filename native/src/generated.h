// generated, do not edit: produced by scripts/gen-native-header.mjs from src/protocol/*.ts and
// src/metrics/view.ts. Run `npm run build:native` after changing those tables.
#pragma once
#include <cmath>
#include <cstddef>
#include <cstdint>

namespace dt {

// ---- rule codes (src/protocol/rules.ts) -----------------------------------------------------
enum RuleCode : int32_t {
  RC_NONE = 0,
  RC_LINE_TOO_LONG = 1,
  RC_METRIC_KEY_EMPTY = 2,
  RC_METRIC_KEY_CHAR = 3,
  RC_METRIC_KEY_EMPTY_SECTION = 4,
  RC_METRIC_KEY_SECTION_START = 5,
  RC_METRIC_KEY_DIGIT_SECTION = 6,
  RC_METRIC_KEY_RESERVED = 7,
  RC_METRIC_KEY_TOO_SHORT = 8,
  RC_METRIC_KEY_TOO_LONG = 9,
  RC_DIMENSION_KEY_EMPTY = 10,
  RC_DIMENSION_KEY_CHAR = 11,
  RC_DIMENSION_KEY_SECTION_START = 12,
  RC_DIMENSION_KEY_TOO_LONG = 13,
  RC_DIMENSION_MISSING_EQUALS = 14,
  RC_DIMENSION_VALUE_CHAR = 15,
  RC_DIMENSION_VALUE_UNTERMINATED = 16,
  RC_DIMENSION_VALUE_AFTER_QUOTE = 17,
  RC_DIMENSION_VALUE_DANGLING_ESCAPE = 18,
  RC_DIMENSION_VALUE_TOO_LONG = 19,
  RC_TOO_MANY_DIMENSIONS = 20,
  RC_DIMENSION_VALUE_UNESCAPED_SPACE = 21,
  RC_PAYLOAD_MISSING = 22,
  RC_METRIC_TYPE_INVALID = 23,
  RC_COUNT_WITHOUT_DELTA = 24,
  RC_METRIC_VALUE_INVALID = 25,
  RC_METRIC_VALUE_NOT_FINITE = 26,
  RC_SUMMARY_FIELDS = 27,
  RC_SUMMARY_COUNT_INVALID = 28,
  RC_SUMMARY_COUNT_ZERO = 29,
  RC_SUMMARY_AVG_RANGE = 30,
  RC_TIMESTAMP_INVALID = 31,
  RC_TIMESTAMP_OUT_OF_RANGE = 32,
  RC_TRAILING_DATA = 33,
  RC_METADATA_KEY = 34,
  RC_METADATA_TYPE = 35,
  RC_METADATA_NO_PROPERTY = 36,
  RC_METADATA_PROPERTY_UNKNOWN = 37,
  RC_METADATA_VALUE_INVALID = 38,
  RC_METADATA_VALUE_TOO_LONG = 39,
  RC_METADATA_SYNTAX = 40,
  RC_INVALID_UTF8 = 41,
  RC_METRIC_KEY_CHANGED = 50,
  RC_METADATA_DUPLICATE = 51,
  RC_BODY_EMPTY = 60,
  RC_BODY_TOO_LARGE = 61,
  RC_FIX_METRIC_KEY = 70,
  RC_FIX_DIMENSION_KEY = 71,
  RC_FIX_DIMENSION_VALUE = 72,
  RC_FIX_SUMMARY_CLAMPED = 75,
  RC_FIX_TIMESTAMP_SECONDS = 76,
  RC_FIX_METADATA_VALUE = 77,
  RC_FIX_LINE_DROPPED = 78,
};

// ---- what a line is and what it holds (src/metrics/view.ts) ----------------------------------
enum LineKind : int32_t {
  KIND_BLANK = 0,
  KIND_DATA = 1,
  KIND_METADATA = 2,
};

enum PayloadType : int32_t {
  PT_GAUGE = 0,
  PT_SUMMARY = 1,
  PT_COUNT = 2,
};

enum KeySuffix : int32_t {
  KS_NONE = 0,
  KS_COUNT = 1,
  KS_GAUGE = 2,
};

enum MetaProp : int32_t {
  META_DISPLAY_NAME = 0,
  META_DESCRIPTION = 1,
  META_UNIT = 2,
};

// ---- the layout shared with the JS side (src/protocol/native-layout.ts) ----------------------
enum NativeOption : int32_t {
  OPT_MAX_LINE_LENGTH = 0,
  OPT_METRIC_KEY_MIN_LENGTH = 1,
  OPT_METRIC_KEY_MAX_LENGTH = 2,
  OPT_ALLOW_DIGIT_LEADING_SECTIONS = 3,
  OPT_MAX_DIMENSIONS = 4,
  OPT_DIMENSION_KEY_MAX_LENGTH = 5,
  OPT_DIMENSION_VALUE_MAX_LENGTH = 6,
  OPT_REWRITE_KEY_SUFFIX = 7,
  OPT_TIMESTAMP_MIN = 8,
  OPT_TIMESTAMP_MAX = 9,
  OPT_IGNORE_CARRIAGE_RETURN = 10,
  OPT_COLLAPSE_SPACES = 11,
  OPT_SUMMARY_ORDER_STRICT = 12,
  OPT_ALLOW_COUNT_WITHOUT_DELTA = 13,
  OPT_ALLOW_BARE_DECIMAL_POINT = 14,
  OPT_METADATA_UNIT_MAX_LENGTH = 15,
  OPT_METADATA_DISPLAY_NAME_MAX_LENGTH = 16,
  OPT_METADATA_DESCRIPTION_MAX_LENGTH = 17,
  OPT_WANT_NUMBERS = 18,
  OPT_SKIP_VALID = 19,
  OPT_COUNT = 20,
};

enum NativeHeader : int32_t {
  HDR_RECORDS = 0,
  HDR_CONSUMED = 1,
  HDR_LINES = 2,
  HDR_SKIPPED_VALID = 3,
  HDR_SIZE = 4,
};

enum NativeRecord : int32_t {
  REC_LINE = 0,
  REC_START = 1,
  REC_RAW_END = 2,
  REC_END = 3,
  REC_KIND = 4,
  REC_ERROR = 5,
  REC_ERROR_AT = 6,
  REC_ERROR_ARG = 7,
  REC_WARNING = 8,
  REC_KEY_SUFFIX = 9,
  REC_PAYLOAD_TYPE = 10,
  REC_KEY_END = 11,
  REC_KEY_HASH = 12,
  REC_STRIDE = 13,
};

enum NativeNumber : int32_t {
  NUM_ERROR_ARG = 0,
  NUM_TIMESTAMP = 1,
  NUM_A = 2,
  NUM_B = 3,
  NUM_C = 4,
  NUM_D = 5,
  NUM_STRIDE = 6,
};

// ---- character classes (src/protocol/chars.ts) ----------------------------------------------
constexpr uint8_t C_ALPHA = 1;
constexpr uint8_t C_BARE_STOP = 32;
constexpr uint8_t C_CONTROL = 128;
constexpr uint8_t C_DIGIT = 2;
constexpr uint8_t C_DIM_KEY = 8;
constexpr uint8_t C_DIM_KEY_START = 16;
constexpr uint8_t C_METRIC_KEY = 4;
constexpr uint8_t C_QUOTED_STOP = 64;

constexpr uint8_t CHAR_CLASS[256] = {
    224,224,224,224,224,224,224,224,224,224,224,224,224,224,224,224,  //   0- 15 ................
    224,224,224,224,224,224,224,224,224,224,224,224,224,224,224,224,  //  16- 31 ................
     32,  0, 96,  0,  0,  0,  0,  0,  0,  0,  0,  0, 32, 12,  0,  0,  //  32- 47 .!"#$%&'()*+,-./
     14, 14, 14, 14, 14, 14, 14, 14, 14, 14,  8,  0,  0, 32,  0,  0,  //  48- 63 0123456789:;<=>?
      0,  5,  5,  5,  5,  5,  5,  5,  5,  5,  5,  5,  5,  5,  5,  5,  //  64- 79 @ABCDEFGHIJKLMNO
      5,  5,  5,  5,  5,  5,  5,  5,  5,  5,  5,  0, 96,  0,  0, 28,  //  80- 95 PQRSTUVWXYZ[.]^_
      0, 29, 29, 29, 29, 29, 29, 29, 29, 29, 29, 29, 29, 29, 29, 29,  //  96-111 `abcdefghijklmno
     29, 29, 29, 29, 29, 29, 29, 29, 29, 29, 29,  0,  0,  0,  0,224,  // 112-127 pqrstuvwxyz{|}~.
     96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96,  // 128-143 ................
     96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96,  // 144-159 ................
     96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96,  // 160-175 ................
     96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96,  // 176-191 ................
     96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96,  // 192-207 ................
     96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96,  // 208-223 ................
     96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96,  // 224-239 ................
     96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96,  // 240-255 ................
};

// metadata unit characters, 1 or 0
constexpr uint8_t UNIT_CHAR[256] = {
      0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  //   0- 15 ................
      0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  //  16- 31 ................
      0,  0,  0,  0,  0,  1,  0,  0,  0,  0,  0,  0,  0,  0,  0,  1,  //  32- 47 .!"#$%&'()*+,-./
      1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  0,  0,  0,  0,  0,  0,  //  48- 63 0123456789:;<=>?
      0,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  //  64- 79 @ABCDEFGHIJKLMNO
      1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  0,  1,  0,  1,  //  80- 95 PQRSTUVWXYZ[.]^_
      0,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  //  96-111 `abcdefghijklmno
      1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  0,  1,  0,  0,  // 112-127 pqrstuvwxyz{|}~.
      0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  // 128-143 ................
      0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  // 144-159 ................
      0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  // 160-175 ................
      0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  // 176-191 ................
      0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  // 192-207 ................
      0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  // 208-223 ................
      0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  // 224-239 ................
      0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  // 240-255 ................
};

constexpr uint8_t LF = 10;
constexpr uint8_t CR = 13;
constexpr uint8_t SPACE = 32;
constexpr uint8_t QUOTE = 34;
constexpr uint8_t HASH = 35;
constexpr uint8_t COMMA = 44;
constexpr uint8_t MINUS = 45;
constexpr uint8_t DOT = 46;
constexpr uint8_t EQUALS = 61;
constexpr uint8_t BACKSLASH = 92;
constexpr uint8_t UNDERSCORE = 95;

// ---- the fixed words of the grammar (src/protocol/words.ts) ------------------------------------
constexpr char W_GAUGE[] = "gauge";
constexpr size_t W_GAUGE_LEN = 5;
constexpr char W_COUNT[] = "count";
constexpr size_t W_COUNT_LEN = 5;
constexpr char W_DELTA_FIELD[] = "delta=";
constexpr size_t W_DELTA_FIELD_LEN = 6;
constexpr char W_SUMMARY_MIN[] = "min=";
constexpr size_t W_SUMMARY_MIN_LEN = 4;
constexpr char W_SUMMARY_MAX[] = "max=";
constexpr size_t W_SUMMARY_MAX_LEN = 4;
constexpr char W_SUMMARY_SUM[] = "sum=";
constexpr size_t W_SUMMARY_SUM_LEN = 4;
constexpr char W_SUMMARY_COUNT[] = "count=";
constexpr size_t W_SUMMARY_COUNT_LEN = 6;
constexpr char W_COUNT_SUFFIX_WORD[] = "count";
constexpr size_t W_COUNT_SUFFIX_WORD_LEN = 5;
constexpr char W_STORED_COUNT_SUFFIX[] = ".count";
constexpr size_t W_STORED_COUNT_SUFFIX_LEN = 6;
constexpr char W_STORED_GAUGE_SUFFIX[] = ".gauge";
constexpr size_t W_STORED_GAUGE_SUFFIX_LEN = 6;
constexpr char W_RESERVED_KEY_PREFIX[] = "dt.";
constexpr size_t W_RESERVED_KEY_PREFIX_LEN = 3;
constexpr char W_METADATA_PREFIX[] = "dt.meta.";
constexpr size_t W_METADATA_PREFIX_LEN = 8;
constexpr char W_META_DISPLAY_NAME[] = "displayname";
constexpr size_t W_META_DISPLAY_NAME_LEN = 11;
constexpr char W_META_DESCRIPTION[] = "description";
constexpr size_t W_META_DESCRIPTION_LEN = 11;
constexpr char W_META_UNIT[] = "unit";
constexpr size_t W_META_UNIT_LEN = 4;

// FNV-1a parameters of the metric key hash (hashKeyBytes in src/protocol/native-layout.ts)
constexpr uint32_t KEY_HASH_OFFSET = 2166136261u;
constexpr uint32_t KEY_HASH_PRIME = 16777619u;

// tolerance of the summary check min - t <= sum/count <= max + t (src/protocol/options.ts)
constexpr double SUMMARY_TOLERANCE = 0.000001;

// ---- options, in the order of the options array (src/protocol/native-layout.ts) -------------
// Limits stay doubles: the JS options are any non-negative numbers (Infinity, fractions), and
// comparing an integer count with the same double gives the same answer on both sides.
struct Options {
  double max_line_length;
  double metric_key_min_length;
  double metric_key_max_length;
  bool allow_digit_leading_sections;
  double max_dimensions;
  double dimension_key_max_length;
  double dimension_value_max_length;
  bool rewrite_key_suffix;
  double timestamp_min;  // now - timestampPastMs, computed once in JS so both sides compare against the same double
  double timestamp_max;  // now + timestampFutureMs
  bool ignore_carriage_return;
  bool collapse_spaces;
  bool summary_order_strict;  // summaryFieldOrder === 'strict'
  bool allow_count_without_delta;
  bool allow_bare_decimal_point;
  double metadata_unit_max_length;
  double metadata_display_name_max_length;
  double metadata_description_max_length;
  bool want_numbers;  // the caller wants the parsed numbers of every recorded line
  bool skip_valid;  // count valid lines without warning instead of recording them

  // Reads the options array (OPT_COUNT doubles).
  static Options from_array(const double* a) {
    Options o;
    o.max_line_length = a[OPT_MAX_LINE_LENGTH];
    o.metric_key_min_length = a[OPT_METRIC_KEY_MIN_LENGTH];
    o.metric_key_max_length = a[OPT_METRIC_KEY_MAX_LENGTH];
    o.allow_digit_leading_sections = a[OPT_ALLOW_DIGIT_LEADING_SECTIONS] != 0;
    o.max_dimensions = a[OPT_MAX_DIMENSIONS];
    o.dimension_key_max_length = a[OPT_DIMENSION_KEY_MAX_LENGTH];
    o.dimension_value_max_length = a[OPT_DIMENSION_VALUE_MAX_LENGTH];
    o.rewrite_key_suffix = a[OPT_REWRITE_KEY_SUFFIX] != 0;
    o.timestamp_min = a[OPT_TIMESTAMP_MIN];
    o.timestamp_max = a[OPT_TIMESTAMP_MAX];
    o.ignore_carriage_return = a[OPT_IGNORE_CARRIAGE_RETURN] != 0;
    o.collapse_spaces = a[OPT_COLLAPSE_SPACES] != 0;
    o.summary_order_strict = a[OPT_SUMMARY_ORDER_STRICT] != 0;
    o.allow_count_without_delta = a[OPT_ALLOW_COUNT_WITHOUT_DELTA] != 0;
    o.allow_bare_decimal_point = a[OPT_ALLOW_BARE_DECIMAL_POINT] != 0;
    o.metadata_unit_max_length = a[OPT_METADATA_UNIT_MAX_LENGTH];
    o.metadata_display_name_max_length = a[OPT_METADATA_DISPLAY_NAME_MAX_LENGTH];
    o.metadata_description_max_length = a[OPT_METADATA_DESCRIPTION_MAX_LENGTH];
    o.want_numbers = a[OPT_WANT_NUMBERS] != 0;
    o.skip_valid = a[OPT_SKIP_VALID] != 0;
    return o;
  }
};

// The default options (METRICS_DEFAULTS) with now = 0: add now to OPT_TIMESTAMP_MIN and _MAX.
constexpr double DEFAULT_OPTIONS[OPT_COUNT] = {50000, 3, 255, 0, 50, 100, 250, 1, -3600000, 600000, 1, 1, 1, 0, 1, 63, 300, 65535, 0, 0};

}  // namespace dt
