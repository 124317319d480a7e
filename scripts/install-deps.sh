#!/usr/bin/env bash
# Installs the Debian packages Sahil builds and tests with (idempotent; uses sudo when not root).
# Usage: scripts/install-deps.sh
set -euo pipefail

packages=(
  cmake ninja-build g++ pkg-config
  libboost-dev libboost-system-dev
  libgdal-dev libproj-dev gdal-bin
  libsqlite3-dev libsqlitecpp-dev sqlite3
  libgtest-dev libgmock-dev libbenchmark-dev
  libtomlplusplus-dev nlohmann-json3-dev
  libspdlog-dev libfmt-dev libcli11-dev
  libsodium-dev
  libqrencode-dev
  libxml2-dev
  clang-14 libclang-rt-14-dev
  curl
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages already installed"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
echo "install-deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
