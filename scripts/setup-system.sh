#!/usr/bin/env bash
# Install the Debian packages vnplans needs, only those that are missing.
# Why a script: `make run` and `make test` must work on a fresh Debian machine as root,
# and re-running them must cost nothing once everything is there.
set -euo pipefail
PKGS=(tesseract-ocr tesseract-ocr-vie tesseract-ocr-script-viet tesseract-ocr-osd poppler-utils
      fonts-liberation2 fonts-dejavu-core fonts-freefont-ttf hunspell-vi
      libreoffice-writer-nogui  # .doc/.odt/.rtf: 49 packages, 80 MB download, 246 MB installed
      postgresql)  # the tests start a private server to load into (none runs as a service)
if ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then PKGS+=(python3-venv); fi
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
echo "setup: installing ${missing[*]}" >&2
if [ "$(id -u)" -ne 0 ]; then
  echo "setup: not root; install these Debian packages first: ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
