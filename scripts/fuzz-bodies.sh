#!/bin/sh
# Builds the libFuzzer target for request bodies (multipart, JSON in the API's dialect, money
# amounts) and runs it for a bounded time (default 60 s) on a small seed corpus.
# Usage: scripts/fuzz-bodies.sh [seconds]. A crash or sanitizer report fails the run; the
# reproducer is left in .build/fuzz-bodies/ (crash-<sha1>).
set -eu
seconds="${1:-60}"
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/.build/fuzz-bodies"
mkdir -p "$out/corpus"
if [ ! -x "$out/bodies" ] || [ -n "$(find "$root/Sources/FacetCore" "$root/Sources/FacetHTTP/Multipart.swift" "$root/fuzz/BodyFuzz.swift" -newer "$out/bodies" -name '*.swift' | head -1)" ]; then
  swiftc -parse-as-library -sanitize=fuzzer,address -O -module-name FacetBodyFuzz \
    "$root"/Sources/FacetCore/*.swift "$root/Sources/FacetHTTP/Multipart.swift" "$root/fuzz/BodyFuzz.swift" -o "$out/bodies"
fi
printf '{"email":"a@b.co","password":"Diamonds2026x","preferredCategories":["ring"],"maxPrice":250,"profile":{"x":"\\u0000"}}' > "$out/corpus/json"
printf -- '--FacetFuzzBoundary\r\nContent-Disposition: form-data; name="category"\r\n\r\nring\r\n--FacetFuzzBoundary\r\nContent-Disposition: form-data; name="maxPrice"\r\n\r\n249.99\r\n--FacetFuzzBoundary\r\nContent-Disposition: form-data; name="image"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n\377\330\377\r\n--FacetFuzzBoundary--\r\n' > "$out/corpus/multipart"
printf 'multipart/form-data; boundary=B\r\n--B\r\nContent-Disposition: form-data; name="a"\r\n\r\nx\r\n--B--\r\n' > "$out/corpus/header"
printf '10000000000.99' > "$out/corpus/money"
cd "$out"
ASAN_OPTIONS=detect_leaks=0 ./bodies -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -max_len=16384 \
  -print_final_stats=1 corpus
