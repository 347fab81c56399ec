# SeqHunt: `make demo` runs the main job, `make test` runs the test suite.
# Each installs the Debian packages it needs when they are missing.

APT_PACKAGES := libopenblas-dev pkg-config libcairo2-dev fonts-dejavu-core zlib1g-dev libzstd-dev zstd
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DEMO_OUT ?= demo-out
PREFIX ?= /usr/local

.PHONY: demo test test-plain test-tools deps build release dist spark-test spark-demo docs examples install install-check golden bench compare fuzz clean format lint

deps:
	@missing=""; \
	for package in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

build: deps
	swift build

release: deps
	swift build -c release --product seqhunt

demo: release
	.build/release/seqhunt demo --out $(DEMO_OUT)

# The Swift sources as .swift-format lays them out (120 columns): `make format` rewrites them,
# `make lint` (the first step of `make test`) fails on any difference.
FORMATTED := Package.swift Sources Tests Examples/Package.swift Examples/Sources Fuzz/Package.swift Fuzz/Sources \
  Benchmarks/Package.swift Benchmarks/Benchmarks
format:
	swift format format --in-place --recursive --parallel $(FORMATTED)

lint:
	swift format lint --strict --recursive --parallel $(FORMATTED)

# `make test`, in the order a failure is cheapest to find: the layout, then every test once under
# AddressSanitizer (with LeakSanitizer), which is the plain run with memory checks on every test;
# the DocC catalogs; make install; Examples/; and last the suites that run SeqHunt's own workers
# again under ThreadSanitizer (TSAN_FILTERS), with the Spark tests beside them (their output is
# printed after ThreadSanitizer's, and either failing fails make test). The timeline page is checked in headless
# Chromium; its tests skip (saying so) only when it cannot be installed. `make test-plain` runs the
# suite once without sanitizers, as a quick check while working.
# The sanitizers' builds are release builds at -Onone: SeqHunt's code unoptimized, with its asserts
# and internal checks (SEQHUNT_INTERNAL_CHECKS) on, but without DEBUG, under which swift-argument-parser
# validates every command definition at each start: 0.9 s of each of the 500 seqhunt processes the
# command-line tests start under ASan (0.16 s without). That validation still runs in any debug build
# (make test-plain, make build).
SANITIZED := -c release -Xswiftc -Onone -Xswiftc -enable-testing -Xswiftc -DSEQHUNT_INTERNAL_CHECKS

test: deps lint test-tools
	@echo "== every test, under AddressSanitizer (with LeakSanitizer)"
	LSAN_OPTIONS=suppressions=$(CURDIR)/Tests/Sanitizers/lsan.supp:print_suppressions=0 SWIFT_BACKTRACE=enable=no \
	  swift test --sanitize=address --scratch-path .build-asan $(SANITIZED)
	@echo "== the DocC catalogs of SeqHunt, SeqHuntFormats and SeqHuntIO, with no warnings"
	$(MAKE) --no-print-directory docs
	@echo "== make install into a scratch PREFIX: binary, man pages, shell completions"
	$(MAKE) --no-print-directory install-check
	@echo "== Examples/: a tool that embeds the engine through its public API only"
	$(MAKE) --no-print-directory examples
	@echo "== the self-contained build, for Spark"
	$(MAKE) --no-print-directory dist
	@echo "== the suites that run SeqHunt's workers, again under ThreadSanitizer; Spark's tests beside them"
	@spark_log=$$(mktemp) && { { $(SPARK_TESTS); } > $$spark_log 2>&1 & spark=$$!; } && \
	  SWIFT_BACKTRACE=enable=no swift test --sanitize=thread --scratch-path .build-tsan $(SANITIZED) \
	    $(addprefix --filter ,$(TSAN_FILTERS)) --skip "$(TSAN_SKIP)" --no-parallel; tsan=$$?; \
	  wait $$spark; spark=$$?; \
	  echo "== SeqHunt on Spark (local[2]) equals one machine; the self-contained build needs only glibc"; \
	  cat $$spark_log; rm -f $$spark_log; [ $$tsan -eq 0 ] && [ $$spark -eq 0 ]

test-plain: deps test-tools
	swift test

# What the tests run besides SeqHunt: python3 for the query tests' local server, Chromium for the page.
test-tools:
	@command -v python3 >/dev/null 2>&1 || { echo "installing python3 for the query tests' local server"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq python3; }
	@command -v chromium >/dev/null 2>&1 || { echo "installing chromium for the timeline page tests"; \
	  { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium; } >/dev/null 2>&1 || echo "chromium could not be installed: page tests will skip"; }

# A self-contained seqhunt for hosts with no Swift toolchain and no Cairo (Spark executors):
# the Swift runtime, Foundation, libstdc++, libgcc, OpenBLAS, zlib and zstd are linked statically
# and, with the default traits off, the commands that draw timelines (run, plot, demo) and query workspaces (query, kql) are left out
# (no static libcurl for FoundationNetworking), so it needs nothing beyond
# glibc's own libraries (integrations/spark/tests check it with ldd). Static archives win over
# shared ones because the only library folder pkg-config names is one holding just the archives.
DIST_SCRATCH := .build-dist
dist: deps
	@static=$(CURDIR)/$(DIST_SCRATCH)/static && rm -rf $$static && mkdir -p $$static/lib $$static/pkgconfig && \
	for archive in libopenblas.a libz.a libzstd.a libstdc++.a; do \
	  found=$$(gcc -print-file-name=$$archive) && [ -f "$$found" ] || { echo "make dist: no $$archive"; exit 1; }; \
	  ln -s "$$found" $$static/lib/$$archive; \
	done && \
	for package in openblas:openblas zlib:z libzstd:zstd; do \
	  printf 'Name: %s\nDescription: %s, linked statically by make dist\nVersion: 0\nLibs: -L%s -l%s\nCflags: %s\n' \
	    $${package%%:*} $${package%%:*} $$static/lib $${package##*:} "$$(pkg-config --cflags $${package%%:*})" \
	    > $$static/pkgconfig/$${package%%:*}.pc; \
	done
	PKG_CONFIG_PATH=$(CURDIR)/$(DIST_SCRATCH)/static/pkgconfig \
	  swift build -c release --product seqhunt --scratch-path $(DIST_SCRATCH) --static-swift-stdlib --disable-default-traits \
	  -Xswiftc -Xclang-linker -Xswiftc -static-libgcc
	@mkdir -p dist && strip --strip-debug -o dist/seqhunt.tmp $(DIST_SCRATCH)/release/seqhunt && mv dist/seqhunt.tmp dist/seqhunt
	@echo "dist/seqhunt: $$(du -h dist/seqhunt | cut -f1), needs:"; ldd dist/seqhunt | sed 's/ (0x.*//'

# SeqHunt on Apache Spark (integrations/spark): Java and PySpark are installed when missing, Spark
# runs in local mode with two workers, and the tests check that sessions, scores, rarest windows
# and the merged model equal one machine's, bit for bit, over 1, 2, 4 and 7 partitions.
# make test runs them beside ThreadSanitizer's build and run, which leave a core mostly idle.
SPARK_TESTS := integrations/spark/setup.sh && cd integrations/spark && .venv/bin/python -m pytest -q -p no:cacheprovider tests
spark-test: dist
	$(SPARK_TESTS)

# Hunts through a generated 100k-session log on Spark (local[2]) and prints the same top 10 as
# `seqhunt run` on the same file.
SPARK_DEMO_SESSIONS ?= 100000
SPARK_DEMO_OUT ?= spark-demo-out
spark-demo: release dist
	integrations/spark/setup.sh
	.build/release/seqhunt demo --sessions $(SPARK_DEMO_SESSIONS) --out $(SPARK_DEMO_OUT) --quiet >/dev/null
	integrations/spark/.venv/bin/python integrations/spark/demo.py --log $(SPARK_DEMO_OUT)/OfficeActivity.csv \
	  --full-binary .build/release/seqhunt

# The DocC documentation (swift-docc-plugin): a warning (a broken symbol link, an undocumented
# parameter) fails the build. The archives land in .build/plugins/Swift-DocC/outputs.
docs:
	swift package generate-documentation --target SeqHunt --target SeqHuntFormats --target SeqHuntIO --warnings-as-errors

# Examples/ depends on SeqHunt by path and uses only its public API: built, then run on the golden
# sessions against a baseline that `seqhunt train` saves (the release build, which make test has
# already made for make install).
examples: release
	swift build --package-path Examples
	@tmp=$$(mktemp -d) && \
	  .build/release/seqhunt train Tests/Golden/demo.sessions.jsonl --model-out $$tmp/baseline.seqhunt --quiet && \
	  Examples/.build/debug/ExplainTop $$tmp/baseline.seqhunt Tests/Golden/generated.sessions.jsonl > $$tmp/top.txt && \
	  grep -q '^5\. session' $$tmp/top.txt && head -6 $$tmp/top.txt; status=$$?; rm -rf $$tmp; exit $$status

# The release binary, man pages generated from the command definitions (swift-argument-parser's
# generate-manual tool: seqhunt(1) and one page per command) and bash, zsh and fish completions, under
# PREFIX. The tool is run on the release binary itself: its plugin would build every product again.
MANUAL := .build/manual
install: release
	swift build -c release --product generate-manual >/dev/null
	rm -rf $(MANUAL) && mkdir -p $(MANUAL) && .build/release/generate-manual .build/release/seqhunt --multi-page --output-directory $(MANUAL)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/bash-completion/completions \
	  $(DESTDIR)$(PREFIX)/share/zsh/site-functions $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
	install -m 755 .build/release/seqhunt $(DESTDIR)$(PREFIX)/bin/seqhunt
	install -m 644 $(MANUAL)/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	.build/release/seqhunt --generate-completion-script bash > $(DESTDIR)$(PREFIX)/share/bash-completion/completions/seqhunt
	.build/release/seqhunt --generate-completion-script zsh > $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_seqhunt
	.build/release/seqhunt --generate-completion-script fish > $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/seqhunt.fish

# make install into a scratch folder, and check what it put there.
install-check:
	@tmp=$$(mktemp -d) && $(MAKE) --no-print-directory install PREFIX=$$tmp >/dev/null && \
	  $$tmp/bin/seqhunt --version && \
	  test -s $$tmp/share/man/man1/seqhunt.1 && test -s $$tmp/share/man/man1/seqhunt.score.1 && \
	  grep -q "__seqhunt_add_completions -f" $$tmp/share/bash-completion/completions/seqhunt && \
	  grep -q "_files" $$tmp/share/zsh/site-functions/_seqhunt && \
	  test -s $$tmp/share/fish/vendor_completions.d/seqhunt.fish && echo "install: ok"; status=$$?; rm -rf $$tmp; exit $$status

# ThreadSanitizer checks SeqHunt's own workers: the engine's suites (training, merging, scoring,
# interning and sessionizing on several threads), the readers' (blocks read in parallel and absorbed
# in order), the PNG's bands, and the few command-line and query tests that read, sessionize, score
# and write on every core in the binary (the demo, run's outputs, events against sessions, slow pipes,
# compressed input, row accounting, sliced workspace queries run five slices at a time). The rest of the command line checks
# flags, messages and files: one process, one pass under AddressSanitizer is enough for it. The 1
# GB-field and 10-million-event tests take minutes under TSan and run under ASan. One test at a time:
# tests running side by side made TSan report memory that one test freed and another reused as a
# race (once, on a clean clone).
TSAN_FILTERS := '^SeqHuntTests\.' '^SeqHuntIOTests\.' '^SeqHuntTimelineTests\.TimelinePNGTests' \
  '^SeqHuntCommandLineTests\.CommandLineTests/(demo|runOutputs)\(' \
  '^SeqHuntCommandLineTests\.EventCommandLineTests/sessionsAndEventsAgree\(' \
  '^SeqHuntCommandLineTests\.InputFormsCommandLineTests/(slowPipesLoseNothing|compressed)\(' \
  '^SeqHuntCommandLineTests\.OutputSafetyCommandLineTests/nothingLost\(' \
  '^SeqHuntQueryTests\.WorkspaceQueryTests/(workspaceEqualsFile|sliceEdges)\('
TSAN_SKIP := HostileInputTests|ScaleTests

# libFuzzer on the CSV reader, the Parameters JSON, sessions files, times and model files
# (Fuzz/run.sh): FUZZ_SECONDS per target, seeds from real files, crashes kept in Fuzz/.artifacts.
FUZZ_SECONDS ?= 60
fuzz: deps
	Fuzz/run.sh $(FUZZ_SECONDS)

# SeqHunt and msticpy side by side, per stage, with parity and floors (perf/compare.py).
compare: deps
	perf/compare --results

# Regenerates the msticpy golden files under Tests/Golden (needs PyPI).
golden:
	perf/setup-venv.sh
	perf/.venv/bin/python perf/make_golden.py

# Throughput benchmarks (package-benchmark), medians over repeated runs.
bench: deps
	cd Benchmarks && swift package --allow-writing-to-package-directory benchmark

clean:
	rm -rf .build .build-tsan .build-asan $(DIST_SCRATCH) dist spark-demo-out Fuzz/.build Examples/.build $(DEMO_OUT)
