#!/usr/bin/env bash
# Make sure the tools `make check` needs are present: install the missing
# Debian packages when running as root, otherwise say what to install.
set -u

missing=()
[ -f /usr/include/CUnit/CUnit.h ] || missing+=(libcunit1-dev)
command -v valgrind >/dev/null   || missing+=(valgrind)
command -v strace >/dev/null     || missing+=(strace)
command -v cc >/dev/null         || missing+=(gcc)
command -v make >/dev/null       || missing+=(make)
command -v pkg-config >/dev/null || missing+=(pkg-config)
command -v rsvg-convert >/dev/null || missing+=(librsvg2-bin)   # osmem-heapmap -p (PNG)
command -v python3 >/dev/null    || missing+=(python3)      # bench-smoke (tests/bench/suite/run.py)

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
	echo "deps: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null && apt-get install -y -qq "${missing[@]}" >/dev/null && exit 0
	echo "deps: apt-get failed to install: ${missing[*]}" >&2
	exit 1
fi
echo "deps: missing packages: ${missing[*]}" >&2
echo "deps: install them with: sudo apt-get install ${missing[*]}" >&2
exit 1
