# nktrade - build, test, run. See README.md.
# Every tools/nk-*.c is a tool; tools/lib/*.c is the shared library. A tool
# too big for one file keeps its other parts in tools/nk-NAME/ (*.c, *.h),
# compiled with it (nk-correct: rules.c, screen.c, explain.c).
VERSION  := 0.1.0
PREFIX   ?= /usr/local
DESTDIR  ?=
CC       ?= cc
CFLAGS   ?= -O2 -g
WARN     := -Wall -Wextra -Wshadow -Wstrict-prototypes -Werror=implicit-function-declaration
CPPFLAGS += -DNK_VERSION='"$(VERSION)"' -D_GNU_SOURCE -DNK_DATADIR='"$(PREFIX)/share/nktrade"'
LDLIBS   := -Wl,--as-needed -lisal -lcsv -lyaml -lcurl -lyajl -lz -lm -lpthread
SANFLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

B        ?= build
TOOLS    := $(patsubst tools/%.c,%,$(wildcard tools/nk-*.c))
LIBSRC   := $(wildcard tools/lib/*.c)
LIBHDR   := $(wildcard tools/lib/*.h)
LIBOBJ   := $(patsubst tools/lib/%.c,$(B)/lib/%.o,$(LIBSRC))
BINS     := $(addprefix $(B)/bin/,$(TOOLS))
UNITSRC  := $(wildcard tests/unit/*.c)
UNITS    := $(patsubst tests/unit/%.c,$(B)/unit/%,$(UNITSRC))
BENCHSRC := $(wildcard tests/bench/*.c)
BENCHES  := $(patsubst tests/bench/%.c,$(B)/bench/%,$(BENCHSRC))
FUZZSRC  := $(wildcard tests/fuzz/fz-*.c)
FUZZES   := $(patsubst tests/fuzz/%.c,$(B)/fuzz/%,$(FUZZSRC))
# the fuzz harnesses undo the threads a failed run left (tests/fuzz/fuzz.h)
FUZZLD   := -Wl,--wrap=pthread_create -Wl,--wrap=pthread_join

.PHONY: all deps check run install uninstall clean bench asan man fuzz check-scale readme-chart
all: $(BINS) $(UNITS) $(BENCHES) $(FUZZES) $(B)/test/failalloc.so

$(B)/lib/%.o: tools/lib/%.c $(LIBHDR) | $(B)/lib
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -c -o $@ $<
$(B)/libnk.a: $(LIBOBJ)
	rm -f $@ && ar rcs $@ $^
.SECONDEXPANSION:
$(B)/bin/%: tools/%.c $$(wildcard tools/$$*/*.c tools/$$*/*.h) $(B)/libnk.a $(LIBHDR) | $(B)/bin
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -o $@ $(filter %.c,$^) $(B)/libnk.a $(LDLIBS)
$(B)/unit/%: tests/unit/%.c tests/unit/check.h $(B)/libnk.a $(LIBHDR) | $(B)/unit
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -Itools/lib -o $@ $< $(B)/libnk.a $(LDLIBS)
$(B)/bench/%: tests/bench/%.c $(B)/libnk.a $(LIBHDR) | $(B)/bench
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -Itools/lib -o $@ $< $(B)/libnk.a $(LDLIBS)
# LD_PRELOAD shim for the out-of-memory tests (never sanitized: it cannot
# go before ASan's runtime, and those tests skip the ASan build)
$(B)/test/failalloc.so: tests/lib/failalloc.c | $(B)/test
	$(CC) -O1 -shared -fPIC -o $@ $<
# The fuzz harnesses with replay.c's main: make check replays the saved
# corpora through them (tests/fuzz.bats); `make fuzz` builds them with
# libFuzzer instead (tests/fuzz/run.sh). A harness may include a tool's source.
$(B)/fuzz/%: tests/fuzz/%.c tests/fuzz/fuzz.c $(wildcard tests/fuzz/*.h) tests/fuzz/replay.c $(B)/libnk.a $(LIBHDR) $(wildcard tools/nk-*.c tools/nk-*/*) | $(B)/fuzz
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -Itools/lib -Itests/fuzz -o $@ $< tests/fuzz/fuzz.c tests/fuzz/replay.c $(B)/libnk.a $(FUZZLD) $(LDLIBS)
$(B)/lib $(B)/bin $(B)/unit $(B)/bench $(B)/test $(B)/fuzz:
	mkdir -p $@

# The same tools built with AddressSanitizer and UBSan, in build/asan.
asan:
	$(MAKE) --no-print-directory B=build/asan CFLAGS='$(SANFLAGS)' all

# Install the Debian packages the build and the tests need (root), or say
# which to install.
deps:
	@sh tools/deps.sh

check: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory asan
	@sh tests/run.sh

# The dataset build (pipelines/build.mk): out/, incremental, byte-identical.
OUT ?= out
run: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory -f pipelines/build.mk OUT=$(OUT) B=$(B) run

# The chart on the README's first screen, from a real run (checked in).
readme-chart: run
	cp $(OUT)/charts/trade-by-year.svg doc/trade-by-year.svg

# Scale-out (pipelines/SCALE.md), not part of check: the build split into
# partitions run by make -j2 and by GNU parallel (--sshlogin :, this machine),
# their merged tables compared byte for byte with the single build's.
SCALE_REPORTS := year partner section chapter stage
check-scale: deps all
	@NK_PKGS=parallel sh tools/deps.sh
	@rm -rf $(OUT)/scale-check
	@$(MAKE) --no-print-directory -j2 -f pipelines/scale.mk SO=$(OUT)/scale-check OUT=$(OUT) B=$(B) check
	@NK_SSHLOGIN=: sh pipelines/scale/parallel.sh $(OUT)/scale-check 2>/dev/null
	@for r in $(SCALE_REPORTS); do cmp $(OUT)/scale-check/parallel/summary-$$r.tsv $(OUT)/summary-$$r.tsv || exit 1; done
	@echo "scale: GNU parallel --sshlogin : : the same $(words $(SCALE_REPORTS)) tables"

bench: all
	@sh tests/bench/run.sh

# libFuzzer (clang) on every harness of tests/fuzz/, one after the other,
# FUZZ_SECS each (default 600); never part of check, which replays the
# saved corpora instead.
FUZZ_SECS = 600
fuzz:
	@sh tools/deps.sh fuzz
	@sh tests/fuzz/run.sh all $(FUZZ_SECS)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/nktrade
	install -m 755 $(BINS) $(DESTDIR)$(PREFIX)/bin/
	for t in $(TOOLS); do [ ! -f tools/$$t.1 ] || install -m 644 tools/$$t.1 $(DESTDIR)$(PREFIX)/share/man/man1/; done
	for d in rules data; do [ ! -d $$d ] || cp -R $$d $(DESTDIR)$(PREFIX)/share/nktrade/; done

uninstall:
	for t in $(TOOLS); do rm -f $(DESTDIR)$(PREFIX)/bin/$$t $(DESTDIR)$(PREFIX)/share/man/man1/$$t.1; done
	rm -rf $(DESTDIR)$(PREFIX)/share/nktrade

clean:
	rm -rf build

# Man pages are generated from --help/--version by help2man (Debian package
# help2man) and committed beside the tools, so building needs no help2man.
man: all
	for t in $(TOOLS); do \
	  help2man --no-info --section=1 --source=nktrade \
	    --name="$$(sed -n '1s/^\/\* nk-[a-z-]* - //p' tools/$$t.c)" \
	    --include=tools/man-common.h2m -o tools/$$t.1 $(B)/bin/$$t || exit 1; done
