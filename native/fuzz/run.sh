#!/usr/bin/env bash
# Builds and runs the libFuzzer harness (clang: apt-get install -y clang) for a bounded time.
#   bash native/fuzz/run.sh [seconds]      default 60; env FUZZ_SECONDS also works
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
out="$here/../build/fuzz"
corpus="$out/corpus"
mkdir -p "$out" "$corpus"
"$CLANGXX" -std=c++17 -O1 -g -fno-exceptions -ffp-contract=off -fsanitize=fuzzer,address,undefined \
  -fno-sanitize-recover=all -o "$out/fuzz_scanner" "$here/fuzz_scanner.cc" "$here/../src/scanner.cc"
# seeds: a few protocol lines behind a 4-byte option header
printf '\x00\x00\x00\x07cpu.temp,host=a,k="q v" gauge,min=1,max=2,sum=3,count=2 1700000000000\n#cpu.temp gauge dt.meta.unit=Cel\nreq.count count,delta=5\n' > "$corpus/seed1"
printf '\xff\xff\xff\x00a.b,c=d\\ e 1.5e3\r\nbad key 1\n\n  \nx,y=\xc3\xa9 -.5' > "$corpus/seed2"
ASAN_OPTIONS="detect_leaks=1" UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1" \
  "$out/fuzz_scanner" -max_total_time="$seconds" -max_len=4096 -print_final_stats=1 "$corpus" 2>&1 | tail -15
echo "fuzz: ${seconds}s libFuzzer run finished without a crash"
