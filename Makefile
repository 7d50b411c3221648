# patvers — build, test, demo and install. See README.md.
#
# O is the build directory: `make` builds into build/, the sanitizer run of
# `make check` into build-san/ and the libFuzzer targets into build-fuzz/
# with the same rules.

O        ?= build
PREFIX   ?= /usr/local
DESTDIR  ?=
CC       ?= cc
PKGS      = sqlite3 jansson libical libsodium
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv
VERSION   = 0.1.0

WARN      = -std=c11 -Wall -Wextra -Werror
OPT      ?= -O2
SAN_FLAGS = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
CPPFLAGS += -Iinclude -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
            -DPATVERS_VERSION='"$(VERSION)"' -DLOCALEDIR='"$(PREFIX)/share/locale"' \
            -DPATVERS_DATADIR='"$(PREFIX)/share/patvers"'
ALL_CFLAGS = -pthread $(WARN) $(OPT) $(EXTRA_CFLAGS) $(CFLAGS) $(PKG_CFLAGS)
ALL_LDFLAGS = -pthread $(EXTRA_CFLAGS) $(LDFLAGS)

LIB_SRC  := $(sort $(wildcard lib/*.c))
CMD_SRC  := $(sort $(wildcard cmd/*.c))
UNIT_SRC := $(sort $(wildcard tests/unit/test-*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(O)/%.o)
CMD_OBJ  := $(CMD_SRC:%.c=$(O)/%.o)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(O)/tests/%)
LIBA     := $(O)/libpatvers.a
BIN      := $(O)/patvers
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz-*.c))
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=$(O)/fuzz/%)
MAN_SRC  := $(wildcard doc/*.scd)
MAN_OUT  := $(MAN_SRC:doc/%.scd=$(O)/man/%)
# Translations (gettext): po/<lang>.po compiled into the build tree's
# locale/, which the binary finds next to itself (cmd/i18n.c).
PO_LANGS := nb
MO_OUT   := $(PO_LANGS:%=$(O)/locale/%/LC_MESSAGES/patvers.mo)

DEB_PKGS = libsqlite3-dev libjansson-dev libcsv-dev libical-dev libsodium-dev \
           libcmocka-dev bats scdoc pkg-config sqlite3 libxml2-utils gettext \
           clang libclang-rt-dev man-db bsdutils

# The fuzz build: clang with libFuzzer, ASan and UBSan. The library is
# compiled with fuzzer-no-link (coverage only) and each target linked with
# the fuzzer's main. No -Werror: it exists to find crashes, and a warning
# only clang gives must not stop `make check`.
FUZZ_CC      = clang
FUZZ_SAN     = -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_OPT     = -O1 -g -fno-omit-frame-pointer
FUZZ_SECONDS ?= 60

.PHONY: all deps check check-fast check-san unit cli demo bench install uninstall clean man \
	fuzz fuzz-build fuzz-bin po mo

all: $(BIN) $(LIBA) man mo

$(O)/%.o: %.c $(wildcard include/patvers/*.h) $(wildcard lib/*.h) cmd/cmd.h
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

$(LIBA): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	@rm -f $@
	@echo "  AR      $@"
	@ar rcs $@ $^

$(BIN): $(CMD_OBJ) $(LIBA)
	@echo "  LD      $@"
	@$(CC) $(ALL_LDFLAGS) -o $@ $(CMD_OBJ) $(LIBA) $(PKG_LIBS)

$(O)/tests/%: tests/unit/%.c $(LIBA) tests/unit/unit.h
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -Itests/unit -DPV_SOURCE_DIR='"$(CURDIR)"' -o $@ $< $(LIBA) \
		$(PKG_LIBS) $(shell pkg-config --libs cmocka) $(ALL_LDFLAGS)

$(O)/fuzz/%: tests/fuzz/%.c $(LIBA) $(wildcard tests/fuzz/*.h)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -fsanitize=fuzzer -Itests/fuzz -o $@ $< $(LIBA) \
		$(PKG_LIBS) $(ALL_LDFLAGS)

fuzz-bin: $(FUZZ_BIN)

man: $(MAN_OUT)
$(O)/man/%: doc/%.scd
	@mkdir -p $(dir $@)
	@if command -v scdoc >/dev/null; then scdoc < $< > $@; else echo "scdoc missing: run make deps" >&2; exit 1; fi

mo: $(MO_OUT)
$(O)/locale/%/LC_MESSAGES/patvers.mo: po/%.po
	@mkdir -p $(dir $@)
	@echo "  MSGFMT  $@"
	@msgfmt -c -o $@ $<

# The message template from the sources (po/extract: xgettext, sorted, no
# dates) and each translation brought up to date with it; then translate
# what msgmerge left empty or fuzzy (tests/cli/i18n.bats checks).
po:
	@po/extract po/patvers.pot
	@for l in $(PO_LANGS); do msgmerge -q --update --backup=none --no-wrap \
		po/$$l.po po/patvers.pot && msgfmt --statistics -c -o /dev/null po/$$l.po; done

# Installs the Debian packages patvers needs; a no-op when all are present.
deps:
	@missing=""; for p in $(DEB_PKGS); do \
		dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		if [ "$$(id -u)" -eq 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

unit: $(UNIT_BIN)
cli: $(BIN)

# All tests: unit + CLI on the normal build, then the same under
# AddressSanitizer + UBSan, then a short smoke run of every fuzz target
# (when clang is there). The last line is "N passed, N failed".
check: deps
	@$(MAKE) --no-print-directory O=build all unit
	@$(MAKE) --no-print-directory O=build-san OPT="$(SAN_FLAGS)" EXTRA_CFLAGS="-fsanitize=address,undefined" all unit
	@if command -v $(FUZZ_CC) >/dev/null; then $(MAKE) --no-print-directory fuzz-build; fi
	@tests/run-suite build build-san $$(command -v $(FUZZ_CC) >/dev/null && echo build-fuzz)

# The libFuzzer targets in build-fuzz/fuzz/.
fuzz-build:
	@$(MAKE) --no-print-directory O=build-fuzz CC=$(FUZZ_CC) WARN="-std=c11 -Wall -Wextra" \
		OPT="$(FUZZ_OPT)" EXTRA_CFLAGS="-fsanitize=fuzzer-no-link $(FUZZ_SAN)" fuzz-bin

# Runs every fuzz target for FUZZ_SECONDS; new inputs go to
# build-fuzz/corpus/, crashes to build-fuzz/crashes/ (see tests/fuzz/README).
fuzz: fuzz-build
	@tests/fuzz/run --seconds $(FUZZ_SECONDS) build-fuzz

# Quicker loop while developing: normal build only.
check-fast:
	@$(MAKE) --no-print-directory O=build all unit
	@tests/run-suite build

demo: deps
	@$(MAKE) --no-print-directory O=build all
	@examples/demo.sh build/patvers

bench: all
	@for b in bench/*/run; do [ -x "$$b" ] && "$$b" $(BIN) || true; done

BINDIR   = $(DESTDIR)$(PREFIX)/bin
MANDIR   = $(DESTDIR)$(PREFIX)/share/man
DATADIR  = $(DESTDIR)$(PREFIX)/share/patvers
LIBDIR   = $(DESTDIR)$(PREFIX)/lib
INCDIR   = $(DESTDIR)$(PREFIX)/include/patvers
PCDIR    = $(LIBDIR)/pkgconfig
BASHCOMP = $(DESTDIR)$(PREFIX)/share/bash-completion/completions
ZSHCOMP  = $(DESTDIR)$(PREFIX)/share/zsh/site-functions
FISHCOMP = $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
LOCALEDIR_D = $(DESTDIR)$(PREFIX)/share/locale

# The binary, man pages, translations, examples, completions, and the
# library with its headers (not the private i18n.h) and a pkg-config file.
install: all
	install -d $(BINDIR) $(MANDIR)/man1 $(MANDIR)/man5 $(DATADIR)/examples/holmestrand \
		$(DATADIR)/examples/cron $(LIBDIR) $(INCDIR) $(PCDIR)
	install -m 0755 $(BIN) $(BINDIR)/patvers
	for m in $(MAN_OUT); do s=$${m##*.}; install -m 0644 $$m $(MANDIR)/man$$s/; done
	install -m 0644 examples/holmestrand/* $(DATADIR)/examples/holmestrand/
	for f in examples/cron/*; do [ -f "$$f" ] && install -m 0755 "$$f" $(DATADIR)/examples/cron/; done; true
	install -m 0644 $(LIBA) $(LIBDIR)/libpatvers.a
	install -m 0644 $(filter-out include/patvers/i18n.h,$(wildcard include/patvers/*.h)) $(INCDIR)/
	for l in $(PO_LANGS); do install -d $(LOCALEDIR_D)/$$l/LC_MESSAGES && \
		install -m 0644 $(O)/locale/$$l/LC_MESSAGES/patvers.mo $(LOCALEDIR_D)/$$l/LC_MESSAGES/; done
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' -e 's|@PKGS@|$(PKGS)|' \
		patvers.pc.in > $(PCDIR)/patvers.pc
	[ ! -f completions/patvers.bash ] || { install -d $(BASHCOMP) && \
		install -m 0644 completions/patvers.bash $(BASHCOMP)/patvers; }
	[ ! -f completions/_patvers ] || { install -d $(ZSHCOMP) && \
		install -m 0644 completions/_patvers $(ZSHCOMP)/_patvers; }
	[ ! -f completions/patvers.fish ] || { install -d $(FISHCOMP) && \
		install -m 0644 completions/patvers.fish $(FISHCOMP)/patvers.fish; }

uninstall:
	rm -f $(BINDIR)/patvers $(LIBDIR)/libpatvers.a $(PCDIR)/patvers.pc \
		$(BASHCOMP)/patvers $(ZSHCOMP)/_patvers $(FISHCOMP)/patvers.fish
	for m in $(MAN_SRC); do b=$$(basename $$m .scd); s=$${b##*.}; \
		rm -f $(MANDIR)/man$$s/$$b; done
	for l in $(PO_LANGS); do rm -f $(LOCALEDIR_D)/$$l/LC_MESSAGES/patvers.mo; done
	rm -rf $(INCDIR) $(DATADIR)

clean:
	rm -rf build build-san build-fuzz demo
