# clustermine — developer and demo tasks. Every target creates .venv when it is missing.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO_HOME ?= .demo-corpus
CM     := $(BIN)/clustermine --home $(DEMO_HOME)

.PHONY: demo test lint bench bench-direct eval install demo-corpus clean ocr-deps

$(STAMP): setup.cfg pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

## demo: build a corpus from the bundled demo documents and show what clustermine does
demo: $(STAMP)
	@echo "== clustermine add demo/corpus  (reads PDF, DOCX, ODT, HTML and text)"
	$(CM) add demo/corpus
	@echo; echo "== clustermine stats"
	$(CM) stats
	@echo; echo "== clustermine ls --type council_paper"
	$(CM) ls --type council_paper
	@echo; echo "== clustermine show <first council paper>"
	$(CM) show $$($(CM) ls --type council_paper --json | $(BIN)/python -c "import json,sys; print(json.load(sys.stdin)[0]['id'])")
	@echo; echo "== clustermine duplicates"
	$(CM) duplicates
	@echo; echo "== clustermine entities --kind PROGRAM --top 8"
	$(CM) entities --kind PROGRAM --top 8
	@echo; echo "== clustermine search Clusterförderung --limit 3   (finds Cluster-Förderung, Förderung von Clustern …)"
	$(CM) search Clusterförderung --limit 3
	@echo; echo "== clustermine search Logistik --region Ruhrgebiet --type council_paper --limit 3"
	$(CM) search Logistik --region Ruhrgebiet --type council_paper --limit 3
	@echo; echo "== clustermine search Foerderung des Kreises --explain --limit 2   (umlaut spelling, inflection)"
	$(CM) search Foerderung des Kreises --explain --limit 2
	@echo; echo "== clustermine trends Kompetenzfeld Cluster Resilienz Transformation --bin 10   (vocabulary over the years)"
	$(CM) trends Kompetenzfeld Cluster Resilienz Transformation --bin 10
	@echo; echo "== clustermine trends --emerging --periods 1995-2005,2006-2015,2016-2025 --top 5"
	$(CM) trends --emerging --periods 1995-2005,2006-2015,2016-2025 --top 5
	@echo; echo "== clustermine concordance Resilienz --limit 3"
	$(CM) concordance Resilienz --limit 3
	@echo; echo "== clustermine topics   (topic model, number of topics chosen by coherence)"
	$(CM) topics
	@echo; echo "== clustermine export Clusterförderung --type council_paper --format ris --limit 1   (literature lists)"
	$(CM) export Clusterförderung --type council_paper --format ris --limit 1

## test: unit and end-to-end tests (creates .venv and installs the test extras), then the index and search tests
## once more on the tantivy backend
TANTIVY_TESTS := tests/index tests/test_cli_search.py tests/test_search_batch.py tests/test_cli_export.py \
	tests/test_cli_collect.py tests/reliability/test_check.py
test: $(STAMP) ocr-deps
	$(BIN)/python -m pytest -q
	CLUSTERMINE_INDEX_BACKEND=tantivy $(BIN)/python -m pytest -q $(TANTIVY_TESTS)

## ocr-deps: in CI (as root, with apt-get) install Tesseract with German data for the OCR tests; elsewhere the
## OCR tests skip and say how to install it. A failed install only means skipped tests.
ocr-deps:
	@if command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx deu; then :; \
	elif [ -n "$$CI" ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "installing tesseract-ocr tesseract-ocr-deu for the OCR tests"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			tesseract-ocr tesseract-ocr-deu) >/dev/null 2>&1 || echo "could not install Tesseract: OCR tests will skip"; \
	else echo "Tesseract with German data is not installed: OCR tests will skip (apt-get install tesseract-ocr tesseract-ocr-deu)"; fi

lint: $(STAMP)
	$(BIN)/ruff check clustermine tests bench tools demo/build.py

## bench: speed benchmarks, results in BENCHMARKS.md. BENCH_SIZE: generated corpus sizes for bench_scale.py
## (e.g. make bench BENCH_SIZE="10000 20000"; figures at 100,000 are extrapolated unless 100000 is given);
## PROFILE_FILES: Karlsruhe files for the stage profile of add (skipped without ../shared)
BENCH_SIZE    ?= 1000 2000
BENCH_REPEAT  ?= 3
PROFILE_FILES ?= 300
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[test,bench]"
	$(BIN)/python bench/bench_search.py
	$(BIN)/python bench/profile_add.py --files $(PROFILE_FILES) --label make-bench
	$(BIN)/python bench/bench_scale.py --docs $(BENCH_SIZE) --repeat $(BENCH_REPEAT)
	$(BIN)/python bench/bench_scale.py --docs $(BENCH_SIZE) --repeat $(BENCH_REPEAT) --backend tantivy
	$(BIN)/python bench/run.py

## bench-direct: one direct build of 100,000 generated documents per backend (about 40 minutes each), shown in
## BENCHMARKS.md by the next make bench (or python bench/run.py --render-only)
bench-direct: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[test,bench]"
	$(BIN)/python bench/bench_direct.py --backend whoosh
	$(BIN)/python bench/bench_direct.py --backend tantivy
	$(BIN)/python bench/run.py --render-only

## eval: quality on the labelled dev sets: entities (P/R/F1 per kind), search (nDCG@10, MRR vs. plain whoosh),
## and on generated corpora with planted drift: trends (curves, emerging-term ranks), topics (term overlap, ARI/NMI)
eval: $(STAMP)
	$(BIN)/python bench/eval_entities.py
	$(BIN)/python bench/eval_search.py
	$(BIN)/python bench/eval_trends.py --docs-per-year 10
	$(BIN)/python bench/eval_topics.py --docs-per-year 10 --quick

## demo-corpus: re-render demo/corpus from demo/sources (deterministic)
demo-corpus: $(STAMP)
	$(BIN)/python demo/build.py

clean:
	rm -rf $(DEMO_HOME) .pytest_cache .ruff_cache
