{
  "targets": [
    {
      "target_name": "dt_ingest",
      "sources": ["src/binding.cc", "src/scanner.cc", "src/fused.cc", "src/classify.cc"],
      "defines": ["NAPI_VERSION=8"],
      "cflags_cc!": ["-std=gnu++17"],
      "cflags": ["-fno-exceptions", "-ffp-contract=off"],
      "cflags_cc": ["-O3", "-std=c++17", "-fno-rtti", "-ffp-contract=off"],
      "xcode_settings": {
        "GCC_ENABLE_CPP_EXCEPTIONS": "NO",
        "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
        "GCC_OPTIMIZATION_LEVEL": "3",
        "OTHER_CPLUSPLUSFLAGS": ["-ffp-contract=off"]
      },
      "msvs_settings": {
        "VCCLCompilerTool": { "ExceptionHandling": 0, "AdditionalOptions": ["/std:c++17", "/fp:precise"] }
      }
    }
  ]
}
