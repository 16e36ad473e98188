#!/bin/sh
# Builds the libFuzzer target for the image decode path and runs it for a bounded time
# (default 60 s) on a seed corpus of small images in every accepted format.
# Usage: scripts/fuzz-decode.sh [seconds]. A crash, leak or sanitizer report fails the run;
# the reproducer is left in .build/fuzz/ (libFuzzer names it crash-<sha1>).
set -eu
seconds="${1:-60}"
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/.build/fuzz"
mkdir -p "$out/corpus"
if [ ! -x "$out/decode" ] || [ -n "$(find "$root/Sources/FacetVision" "$root/fuzz" -newer "$out/decode" -name '*.swift' | head -1)" ]; then
  # The learned embedder and its projection (OpenCV, C++) are not on the decode path and stay out of this build.
  sources=$(ls "$root"/Sources/FacetVision/*.swift | grep -v -E '/(LearnedEmbedder|Projection)\.swift$')
  # shellcheck disable=SC2086
  swiftc -parse-as-library -sanitize=fuzzer,address -O -module-name FacetVisionFuzz \
    -I "$root/Sources/CImageCodecs" $sources "$root/fuzz/DecodeFuzz.swift" -o "$out/decode"
fi
"$root/.venv/bin/python" "$root/fuzz/make_corpus.py" "$out/corpus"
cd "$out"
# Ignore libFuzzer's own leak check on exit: Foundation caches allocations for the process lifetime.
ASAN_OPTIONS=detect_leaks=0 ./decode -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -max_len=65536 \
  -print_final_stats=1 corpus
