#!/usr/bin/env bash
# Installs what a fresh Debian machine lacks to build, test and run settle:
# libpq (client library and headers), libxml2, libxlsxwriter and zlib headers, jemalloc (the
# executable's allocator), the PostgreSQL server, and
# openpyxl (the tests read the workbooks back with it).
# Idempotent; quiet when everything is already there.
set -euo pipefail

packages=(libpq-dev libxml2-dev libxlsxwriter-dev zlib1g-dev libjemalloc-dev postgresql python3-openpyxl)
missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

echo "bootstrap: installing ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
    sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "bootstrap: done"
