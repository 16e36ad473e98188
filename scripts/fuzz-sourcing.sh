#!/bin/sh
# Builds the libFuzzer target for what brands and the marketplace send (brand JSON through
# each demo mapping, amounts and times, marketplace result pages) and runs it for a bounded
# time (default 60 s) on a seed corpus. A crash or sanitizer report fails the run; the
# reproducer is left in .build/fuzz-sourcing/ (crash-<sha1>).
set -eu
seconds="${1:-60}"
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/.build/fuzz-sourcing"
src="$out/src"
mkdir -p "$out/corpus" "$src"
files="JSONValue.swift BrandMapping.swift Marketplace/ResultPageParser.swift Marketplace/HTMLScan.swift Marketplace/ListingText.swift Marketplace/RawOffer.swift Marketplace/MarketplaceTypes.swift"
stale=""
for f in $files; do [ "$root/Sources/FacetSourcing/$f" -nt "$out/sourcing" ] && stale=1; done
[ -n "$(find "$root/Sources/FacetCore" "$root/fuzz/SourcingFuzz.swift" -newer "$out/sourcing" -name '*.swift' 2>/dev/null | head -1)" ] && stale=1
if [ ! -x "$out/sourcing" ] || [ -n "$stale" ]; then
  # One module: FacetSourcing's parsing files lose their `import FacetCore`.
  rm -f "$src"/*.swift
  for f in $files; do sed '/^import FacetCore$/d' "$root/Sources/FacetSourcing/$f" > "$src/$(basename "$f")"; done
  swiftc -parse-as-library -sanitize=fuzzer,address -O -module-name FacetSourcingFuzz \
    "$root"/Sources/FacetCore/*.swift "$root"/Sources/FacetCore/*/*.swift "$src"/*.swift "$root/fuzz/SourcingFuzz.swift" -o "$out/sourcing"
fi
for brand in "$root"/seeds/brands/*/; do cp "$brand/mapping.json" "$out/mapping-$(basename "$brand").json"; done
# One native item of each brand, as its listing pages and webhooks carry them.
python3 - "$root" "$out/corpus" <<'PY'
import json, sys, pathlib
root, corpus = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
for brand, name in (("aurelia", "products.json"), ("northbridge", "catalog.json")):
    data = json.loads((root / "seeds/brands" / brand / name).read_text())
    while isinstance(data, dict):
        data = next((v for v in data.values() if isinstance(v, (list, dict))), [])
    if data:
        (corpus / brand).write_text(json.dumps(data[0]))
PY
printf '{"id":"wh_1","type":"stock.changed","created_at":"2026-11-25T00:00:00Z","data":{"items":[{"sku":"AUR-R-1","stock_qty":"12"}]}}' > "$out/corpus/webhook"
printf '<html><script>window.__INITIAL_DATA__ = {"offers":[{"offerId":"1","title":"Ring","price":"US$1.20-2.50","moq":"10 pieces","supplier":{"name":"S"},"url":"/p/1","images":["/i.jpg"]}],"hasMore":true};</script></html>' > "$out/corpus/page"
cd "$out"
ASAN_OPTIONS=detect_leaks=0 ./sourcing -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -max_len=16384 \
  -print_final_stats=1 corpus
