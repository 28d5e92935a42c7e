#!/usr/bin/env bash
# Builds the C++ core (no Node, no N-API) with a small driver under AddressSanitizer and
# UndefinedBehaviorSanitizer, and runs it over the test vectors, the benchmark corpus and generated
# inputs: the fused scan (on every stage-1 kernel this CPU runs) must equal the reference loop bit
# for bit (native/test/compare.h). Any sanitizer report or difference fails the run.
#   bash native/sanitize.sh            with $CXX (default g++)
#   CXX=clang++ bash native/sanitize.sh
#   DT_SANITIZE_ARM64=1 bash native/sanitize.sh   also builds the driver for arm64 and runs it under
#       qemu (apt-get install -y g++-aarch64-linux-gnu qemu-user): checks the NEON kernel
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
out="$here/build/sanitize"
mkdir -p "$out"
CXX="${CXX:-g++}"
command -v "$CXX" >/dev/null || { echo "sanitize: $CXX not found" >&2; exit 1; }

"$CXX" -std=c++17 -O1 -g -fno-omit-frame-pointer -fno-exceptions -ffp-contract=off \
  -fsanitize=address,undefined -fno-sanitize-recover=all -Wall -Wextra -Werror \
  -o "$out/driver" "$here/test/driver.cc" "$here/src/scanner.cc" "$here/src/fused.cc" "$here/src/classify.cc"

inputs=()
# the vectors (test/fixtures/vectors, copied from the shared vectors): the input column, unescaped,
# one line each (and the whole file as one body)
vectors="$root/test/fixtures/vectors/metrics.tsv"
node -e '
  const fs = require("fs");
  const rows = fs.readFileSync(process.argv[1], "utf8").split("\n").slice(1).filter(Boolean);
  const un = (s) => s.replace(/\\(t|n|r|u([0-9a-fA-F]{4}))/g, (m, c, h) => c === "t" ? "\t" : c === "n" ? "\n" : c === "r" ? "\r" : String.fromCharCode(parseInt(h, 16)));
  fs.writeFileSync(process.argv[2], rows.map((r) => un(r.split("\t")[1] ?? "")).join("\n") + "\n");
' "$vectors" "$out/vectors.txt"
inputs+=("$out/vectors.txt" "$vectors")
# a slice of the benchmark corpus (realistic lines, 5% invalid), LF and CRLF
node --input-type=module -e '
  import { generateCorpus } from "'"$root"'/bench/corpus.mjs";
  import { writeFileSync } from "node:fs";
  writeFileSync(process.argv[1], generateCorpus({ bytes: 300_000, invalidRatio: 0.05, seed: 3 }).text);
  writeFileSync(process.argv[2], generateCorpus({ bytes: 60_000, invalidRatio: 0.05, seed: 4, lineEnding: "\r\n" }).text);
' "$out/corpus.txt" "$out/corpus-crlf.txt" && inputs+=("$out/corpus.txt" "$out/corpus-crlf.txt")

export ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:abort_on_error=0"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
"$out/driver" "${inputs[@]}"
echo "sanitize: ASan+UBSan clean ($CXX)"

if [[ "${DT_SANITIZE_ARM64:-0}" == "1" ]]; then
  command -v aarch64-linux-gnu-g++ >/dev/null && command -v qemu-aarch64 >/dev/null ||
    { echo "sanitize: DT_SANITIZE_ARM64=1 needs aarch64-linux-gnu-g++ and qemu-aarch64" >&2; exit 1; }
  aarch64-linux-gnu-g++ -std=c++17 -O2 -static -fno-exceptions -ffp-contract=off -Wall -Wextra -Werror \
    -o "$out/driver-arm64" "$here/test/driver.cc" "$here/src/scanner.cc" "$here/src/fused.cc" "$here/src/classify.cc"
  qemu-aarch64 "$out/driver-arm64" "$out/vectors.txt"
  echo "sanitize: arm64 (NEON) driver clean under qemu"
fi
