#!/usr/bin/env bash
# Creates (idempotently) the Python venv with a pinned moto server used by the S3/DynamoDB tests:
#   <repo>/.tools/moto-venv/bin/moto_server
# The venv itself lives in the user's cache (one per moto version, shared by every clone: a fresh one
# takes about a minute of pip), and .tools/moto-venv links to it.
# Safe to run repeatedly and concurrently (flock); does nothing when the pinned version is present.
set -euo pipefail

MOTO_VERSION="5.2.5"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/tfpipe"
VENV="$CACHE/moto-venv-$MOTO_VERSION"
STAMP="$VENV/.moto-$MOTO_VERSION"
LINK="$ROOT/.tools/moto-venv"

mkdir -p "$ROOT/.tools" "$CACHE"
exec 9>"$CACHE/moto-venv-$MOTO_VERSION.lock"
flock 9

link() {
  # An older layout kept a real venv here: replace it by the link.
  if [[ "$(readlink "$LINK" 2>/dev/null)" != "$VENV" ]]; then rm -rf "$LINK"; ln -s "$VENV" "$LINK"; fi
}

if [[ -f "$STAMP" && -x "$VENV/bin/moto_server" ]]; then
  link
  echo "moto $MOTO_VERSION already installed in $VENV"
  exit 0
fi

PYTHON="${PYTHON:-$(command -v python3 || command -v python)}"
if [[ -z "$PYTHON" ]]; then
  echo "moto.sh: python3 is required (apt-get install -y python3 python3-venv)" >&2
  exit 1
fi

rm -rf "$VENV"
"$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --quiet "moto[server]==$MOTO_VERSION"
"$VENV/bin/moto_server" --help >/dev/null
touch "$STAMP"
link
echo "moto $MOTO_VERSION installed in $VENV"
