#!/usr/bin/env bash
# The Debian packages CareerGini needs outside Python, in one place: the Makefile (`make run`,
# `make test`) and CI (.ci/run) call this script, and the README lists the same packages.
#
#   deploy/system-packages.sh run     what the app itself uses
#   deploy/system-packages.sh test    that, plus what the test suite runs
#   deploy/system-packages.sh list run|test    print the list and exit
#
# Missing packages are installed with apt-get when it is there and this runs as root;
# otherwise the script prints the exact command to run and stops (exit 1).
# CAREERGINI_SKIP_SYSTEM_PACKAGES=1 skips all of it (a machine that is not Debian, or one
# whose administrator installs things their own way).
set -euo pipefail

# WeasyPrint renders resumes with Pango and HarfBuzz; the fonts cover Latin, accents and CJK
# names. Chromium (driven by Playwright) renders career pages that build their job postings
# with JavaScript. `careergini backup` and `restore` of a PostgreSQL install run pg_dump and
# pg_restore.
run_packages=(
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
  fonts-dejavu-core fonts-liberation2 fonts-noto-cjk
  chromium postgresql-client
)
# The test suite also starts its own redis-server (outages, health), runs `nginx -t` on
# deploy/nginx.conf with a throwaway certificate (openssl), reads rendered PDFs back with
# poppler's pdftotext, and drives the web app in the same Chromium. The real-model chat
# test's llama.cpp (xllamacpp's wheel) links GCC's OpenMP runtime, libgomp1.
test_packages=(
  "${run_packages[@]}"
  make redis-server redis-tools nginx-light openssl poppler-utils libgomp1
)

usage() {
  echo "usage: $0 [list] run|test" >&2
  exit 2
}

list_only=0
if [ "${1:-}" = "list" ]; then
  list_only=1
  shift
fi
case "${1:-}" in
  run) packages=("${run_packages[@]}") ;;
  test) packages=("${test_packages[@]}") ;;
  *) usage ;;
esac

if [ "$list_only" = 1 ]; then
  printf '%s\n' "${packages[@]}"
  exit 0
fi
if [ "${CAREERGINI_SKIP_SYSTEM_PACKAGES:-}" = 1 ]; then
  exit 0
fi
if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "CareerGini expects a Debian or Ubuntu machine for its system packages. Install the" >&2
  echo "equivalents of these with your package manager, then run again with" >&2
  echo "CAREERGINI_SKIP_SYSTEM_PACKAGES=1:" >&2
  echo "  ${packages[*]}" >&2
  exit 1
fi

missing=()
for pkg in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

command_line="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "CareerGini needs these Debian packages, which are not installed: ${missing[*]}" >&2
  echo "Install them as root, then run the same make command again:" >&2
  echo "  sudo sh -c '$command_line'" >&2
  exit 1
fi

echo "Installing Debian packages: ${missing[*]}"
start=$(date +%s)
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "Debian packages installed in $(($(date +%s) - start)) s"
