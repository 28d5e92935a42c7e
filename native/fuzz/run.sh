#!/usr/bin/env bash
# Builds and runs the libFuzzer harness (clang: apt-get install -y clang) for a bounded time: the
# fused scan against the reference loop, on every stage-1 kernel, under ASan and UBSan.
#   bash native/fuzz/run.sh [seconds]      default 60; env FUZZ_SECONDS also works
# The binary and the corpus live in native/fuzz/.work/ (ignored by git; outside native/build, which
# every addon rebuild wipes), so the corpus grows from run to run; a crash leaves crash-* there.
# Without clang: an error, unless DT_FUZZ_OPTIONAL=1 (then a clear message and exit 0).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
seconds="${1:-${FUZZ_SECONDS:-60}}"
CLANGXX="${CLANGXX:-}"
if [[ -z "$CLANGXX" ]]; then
  for c in clang++ clang++-19 clang++-16 clang++-15 clang++-14; do
    if command -v "$c" >/dev/null; then CLANGXX="$c"; break; fi
  done
fi
if [[ -z "$CLANGXX" ]]; then
  echo "fuzz: clang++ not found (install it with: apt-get install -y clang); the libFuzzer run did NOT happen"
  if [[ "${DT_FUZZ_OPTIONAL:-0}" == "1" ]]; then exit 0; fi
  exit 1
fi
out="$here/.work"
corpus="$out/corpus"
mkdir -p "$out" "$corpus"
"$CLANGXX" -std=c++17 -O1 -g -fno-exceptions -ffp-contract=off -fsanitize=fuzzer,address,undefined \
  -fno-sanitize-recover=all -o "$out/fuzz_scanner" "$here/fuzz_scanner.cc" "$here/../src/scanner.cc" \
  "$here/../src/fused.cc" "$here/../src/classify.cc"
# seeds: protocol lines behind a 6-byte header (options, capacity, kernel, region start)
printf '\x00\x00\x08\x07\x00\x00cpu.temp,host=a,k="q v" gauge,min=1,max=2,sum=3,count=2 1700000000000\n#cpu.temp gauge dt.meta.unit=Cel\nreq.count count,delta=5\n' > "$corpus/seed1"
printf '\xff\xff\xff\x00\x01\x00a.b,c=d\\ e 1.5e3\r\nbad key 1\n\n  \nx,y=\xc3\xa9 -.5' > "$corpus/seed2"
printf '\x00\x00\x18\x0f\x02\x00disk.io.read_bytes,dt.entity.host=HOST-CC0D06F288EE2A93,host=web-01,area=nonheap gauge,27123.61 1700000000000\nprocess.files.open,service.name=checkout\\ service,host=a count,delta=719\nsystem.cpu.usage,uri="/api/v1/users/{id}",method=GET gauge,min=88,max=162,sum=1625,count=13\r\nm.count gauge,0\n' > "$corpus/seed3"
if [[ -f "$here/../build/sanitize/corpus.txt" ]]; then head -c 3000 "$here/../build/sanitize/corpus.txt" | { printf '\x00\x04\x08\x0f\x03\x00'; cat; } > "$corpus/seed4"; fi
ASAN_OPTIONS="detect_leaks=1" UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1" \
  "$out/fuzz_scanner" -artifact_prefix="$out/" -max_total_time="$seconds" -max_len=4096 -dict="$here/metrics.dict" -print_final_stats=1 "$corpus" 2>&1 | tail -15
echo "fuzz: ${seconds}s libFuzzer run finished without a crash"
