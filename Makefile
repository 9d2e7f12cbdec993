# trustmap - one Makefile for everything: make, make check, make demo, make fuzz,
# make SAN=address,undefined (sanitizer build in build-san/).

CC      ?= cc
PKGS    := libpcre2-8 libhs sqlite3 jansson expat openssl libpcap yaml-0.1 libpq yajl
SAN     ?=
BUILD   ?= build
FUZZ_SECONDS ?= 4

WARN    := -Wall -Wextra -Wformat=2 -Wshadow -Wno-missing-field-initializers -Werror
HARDEN  := -D_FORTIFY_SOURCE=2 -fstack-protector-strong
OPT     ?= -O2
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
# install layout (make install PREFIX=... DESTDIR=...); the share dir is built in as a
# fallback of the rules' search path (src/kb/kb.h), the version comes from VERSION
VERSION := $(shell cat VERSION 2>/dev/null || echo 0)
PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share
MANDIR  ?= $(DATADIR)/man
TM_DEFS := -DTM_VERSION='"$(VERSION)"' -DTM_SHARE_DIR='"$(DATADIR)/trustmap"'
CFLAGS_ALL = -std=c11 -D_GNU_SOURCE -g $(OPT) $(WARN) $(HARDEN) $(TM_DEFS) -Isrc $(PKG_CFLAGS) $(CFLAGS)
LDLIBS_ALL = $(PKG_LIBS) -lm -lpthread $(LDLIBS)

ifneq ($(SAN),)
BUILD   := build-san
OPT     := -O1
CFLAGS  += -fsanitize=$(SAN) -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS += -fsanitize=$(SAN)
endif

SRC      := $(shell find src -name '*.c' ! -path src/main.c | sort)
OBJ      := $(SRC:%.c=$(BUILD)/%.o)
LIB      := $(BUILD)/libtrustmap.a
BIN      := $(BUILD)/trustmap
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TOOL_SRC := $(sort $(wildcard tools/*.c))
TOOL_BIN := $(TOOL_SRC:tools/%.c=$(BUILD)/tools/%)
BENCH_SRC := $(sort $(wildcard bench/*.c))
BENCH_BIN := $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)
# the device emulator: its own binary from tools/emu/*.c
EMU_SRC  := $(sort $(wildcard tools/emu/*.c))
EMU_OBJ  := $(EMU_SRC:%.c=$(BUILD)/%.o)
EMU_BIN  := $(if $(EMU_SRC),$(BUILD)/trustmap-emu)

.PHONY: all man install uninstall deps check check-unit check-san check-e2e check-golden check-rules fuzz fuzz-check demo clean bench

all: $(BIN) $(UNIT_BIN) $(TOOL_BIN) $(BENCH_BIN) $(EMU_BIN) man

# Man pages, generated at build time: trustmap(1) by the binary from its command and
# option tables, trustmap-policy(5) from docs/policy.md, trustmap-emu(1) from dist/.
MAN_DATE = $(shell date -u -d @$${SOURCE_DATE_EPOCH:-$$(date +%s)} +%F)
MAN := $(BUILD)/man/trustmap.1 $(BUILD)/man/trustmap-emu.1 $(BUILD)/man/trustmap-policy.5
man: $(MAN)

$(BUILD)/man/trustmap.1: $(BIN)
	@mkdir -p $(dir $@)
	$(BIN) help --man > $@.tmp && mv $@.tmp $@

$(BUILD)/man/trustmap-policy.5: docs/policy.md dist/md2man.awk VERSION
	@mkdir -p $(dir $@)
	awk -v name=trustmap-policy -v section=5 -v version="$(VERSION)" -v date="$(MAN_DATE)" \
		-f dist/md2man.awk docs/policy.md > $@.tmp && mv $@.tmp $@

$(BUILD)/man/trustmap-emu.1: dist/trustmap-emu.1 VERSION
	@mkdir -p $(dir $@)
	sed -e 's/@VERSION@/$(VERSION)/' -e 's/^\.TH TRUSTMAP-EMU 1 ""/.TH TRUSTMAP-EMU 1 "$(MAN_DATE)"/' dist/trustmap-emu.1 > $@

# make install [PREFIX=/usr/local] [DESTDIR=...]: the file list is tests/e2e/install.manifest
RULES_FILES := $(sort $(wildcard rules/*))
EMU_DATA := tools/emu/personas.tm $(sort $(wildcard tools/emu/mix-*.tm))
install: $(BIN) $(EMU_BIN) $(MAN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/trustmap/rules $(DESTDIR)$(DATADIR)/trustmap/emu \
		$(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(DATADIR)/bash-completion/completions
	install -m 755 $(BIN) $(BUILD)/trustmap-emu $(DESTDIR)$(BINDIR)/
	install -m 644 $(RULES_FILES) $(DESTDIR)$(DATADIR)/trustmap/rules/
	install -m 644 $(EMU_DATA) $(DESTDIR)$(DATADIR)/trustmap/emu/
	install -m 644 $(BUILD)/man/trustmap.1 $(BUILD)/man/trustmap-emu.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 $(BUILD)/man/trustmap-policy.5 $(DESTDIR)$(MANDIR)/man5/
	install -m 644 dist/trustmap.bash-completion $(DESTDIR)$(DATADIR)/bash-completion/completions/trustmap

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/trustmap $(DESTDIR)$(BINDIR)/trustmap-emu \
		$(DESTDIR)$(MANDIR)/man1/trustmap.1 $(DESTDIR)$(MANDIR)/man1/trustmap-emu.1 \
		$(DESTDIR)$(MANDIR)/man5/trustmap-policy.5 $(DESTDIR)$(DATADIR)/bash-completion/completions/trustmap
	rm -rf $(DESTDIR)$(DATADIR)/trustmap

deps:
	@scripts/deps

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -MMD -MP -c $< -o $@

$(LIB): $(OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BIN): $(BUILD)/src/main.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/trustmap-emu: $(EMU_OBJ) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/tests/%: tests/unit/%.c tests/unit/check.h $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS_ALL)

$(BUILD)/tools/%: tools/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS_ALL)

$(BUILD)/bench/%: bench/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS_ALL)

# The whole suite: plain build, unit tests, rule examples, golden corpus, end to
# end, then the unit tests again under ASan+UBSan, then a short fuzz run.
check: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory SAN=address,undefined all
	@$(MAKE) --no-print-directory fuzz
	@tests/run BUILD=$(BUILD) FUZZ_SECONDS=$(FUZZ_SECONDS)

demo: deps
	@$(MAKE) --no-print-directory all
	@scripts/demo $(BIN)

# libFuzzer targets (clang): every parser, built with ASan+UBSan in build-fuzz/.
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BUILD ?= build-fuzz
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=$(FUZZ_BUILD)/%)
FUZZ_OBJ := $(SRC:%.c=$(FUZZ_BUILD)/%.o)
FUZZ_CFLAGS = -std=c11 -D_GNU_SOURCE -g -O1 -Wall -Wextra -Wno-missing-field-initializers -Isrc $(PKG_CFLAGS) \
	-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -DTM_FUZZ

fuzz: $(FUZZ_BIN)

$(FUZZ_BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -MMD -MP -c $< -o $@

# The phased planner's inner loops (val, fits, apply: thousands of compares of
# small integers an input) spent ~65 % of fuzz_plan's and fuzz_items' time in
# libFuzzer's compare tracing, which steers mutations towards magic values a
# solver does not test for: planner.c alone is built with edge coverage only
# (3.3x the executions a second on the same corpus, the same coverage and
# features).  Every parser keeps compare tracing.
$(FUZZ_BUILD)/src/plan/planner.o: FUZZ_CFLAGS += -fno-sanitize-coverage=trace-cmp

$(FUZZ_BUILD)/libtrustmap.a: $(FUZZ_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_BUILD)/libtrustmap.a
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_BUILD)/libtrustmap.a $(LDLIBS_ALL)

clean:
	rm -rf build build-san build-fuzz

-include $(OBJ:.o=.d) $(EMU_OBJ:.o=.d) $(BUILD)/src/main.d $(FUZZ_OBJ:.o=.d)
