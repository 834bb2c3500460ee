#!/usr/bin/env bash
# Creates (idempotently) the Python venv with a pinned moto server used by the S3/DynamoDB tests:
#   <repo>/.tools/moto-venv/bin/moto_server
# Safe to run repeatedly and concurrently (flock); does nothing when the pinned version is present.
set -euo pipefail

MOTO_VERSION="5.2.5"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="$ROOT/.tools/moto-venv"
STAMP="$VENV/.moto-$MOTO_VERSION"

mkdir -p "$ROOT/.tools"
exec 9>"$ROOT/.tools/moto-venv.lock"
flock 9

if [[ -f "$STAMP" && -x "$VENV/bin/moto_server" ]]; then
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
echo "moto $MOTO_VERSION installed in $VENV"
