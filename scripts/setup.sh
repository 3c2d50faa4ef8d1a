#!/usr/bin/env bash
# Installs whatever is missing for building, serving and testing: Debian packages
# (compilers, Emscripten, Eigen, doctest, Chromium) and the npm packages pinned in
# package-lock.json. Idempotent; takes about a second when nothing is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# Real data: word lists of seven languages, the King James Bible and the fortunes file (the
# text sets and the sequence tests), Fashion-MNIST (scripts/build_data.mjs, docs/data.md).
packages=(g++ make cmake clang-format emscripten libeigen3-dev doctest-dev chromium python3-numpy python3-sklearn
  wamerican wfrench wngerman wspanish witalian wportuguese wdutch fortunes-min bible-kjv dataset-fashion-mnist)
# --bench: also PyTorch, the bench's native anchor (`npm run bench`; the tests do not need it).
[ "${1:-}" = "--bench" ] && packages+=(python3-torch)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# npm ci only when package-lock.json changed since the last install.
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
stamp=node_modules/.setup-stamp
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_hash" ]; then
  echo "setup: installing npm packages from package-lock.json"
  # `npm ci` refuses this lock file under npm 11 with omit-lockfile-registry-resolved
  # (it asks for optional packages of other platforms); `npm install` honours the lock.
  npm install --no-audit --no-fund --loglevel=error
  echo "$lock_hash" > "$stamp"
fi
