# patvers — build, test, demo and install. See README.md.
#
# O is the build directory: `make` builds into build/, the sanitizer run of
# `make check` into build-san/ with the same rules.

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
            -DPATVERS_VERSION='"$(VERSION)"' -DLOCALEDIR='"$(PREFIX)/share/locale"'
ALL_CFLAGS = $(WARN) $(OPT) $(EXTRA_CFLAGS) $(CFLAGS) $(PKG_CFLAGS)
ALL_LDFLAGS = $(EXTRA_CFLAGS) $(LDFLAGS)

LIB_SRC  := $(sort $(wildcard lib/*.c))
CMD_SRC  := $(sort $(wildcard cmd/*.c))
UNIT_SRC := $(sort $(wildcard tests/unit/test-*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(O)/%.o)
CMD_OBJ  := $(CMD_SRC:%.c=$(O)/%.o)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(O)/tests/%)
LIBA     := $(O)/libpatvers.a
BIN      := $(O)/patvers
MAN_SRC  := $(wildcard doc/*.scd)
MAN_OUT  := $(MAN_SRC:doc/%.scd=$(O)/man/%)

DEB_PKGS = libsqlite3-dev libjansson-dev libcsv-dev libical-dev libsodium-dev \
           libcmocka-dev bats scdoc pkg-config sqlite3 libxml2-utils gettext

.PHONY: all deps check check-fast check-san unit cli demo bench install uninstall clean man

all: $(BIN) $(LIBA) man

$(O)/%.o: %.c $(wildcard include/patvers/*.h) cmd/cmd.h
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
	@$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -Itests/unit -o $@ $< $(LIBA) \
		$(PKG_LIBS) $(shell pkg-config --libs cmocka) $(ALL_LDFLAGS)

man: $(MAN_OUT)
$(O)/man/%: doc/%.scd
	@mkdir -p $(dir $@)
	@if command -v scdoc >/dev/null; then scdoc < $< > $@; else echo "scdoc missing: run make deps" >&2; exit 1; fi

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
# AddressSanitizer + UBSan. The last line is "N passed, N failed".
check: deps
	@$(MAKE) --no-print-directory O=build all unit
	@$(MAKE) --no-print-directory O=build-san OPT="$(SAN_FLAGS)" EXTRA_CFLAGS="-fsanitize=address,undefined" all unit
	@tests/run-suite build build-san

# Quicker loop while developing: normal build only.
check-fast:
	@$(MAKE) --no-print-directory O=build all unit
	@tests/run-suite build

demo: deps
	@$(MAKE) --no-print-directory O=build all
	@examples/demo.sh build/patvers

bench: all
	@for b in bench/*/run; do [ -x "$$b" ] && "$$b" $(BIN) || true; done

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/man/man5
	install -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/patvers
	for m in $(MAN_OUT); do s=$${m##*.}; \
		install -m 0644 $$m $(DESTDIR)$(PREFIX)/share/man/man$$s/; done

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/patvers
	for m in $(MAN_SRC); do b=$$(basename $$m .scd); s=$${b##*.}; \
		rm -f $(DESTDIR)$(PREFIX)/share/man/man$$s/$$b; done

clean:
	rm -rf build build-san demo
