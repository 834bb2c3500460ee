#!/usr/bin/env bash
# Installs (idempotently) the checkov that terraform-plan.yml pins (its `checkov-version` default), from
# PyPI, where the workflow's own install step looks first: the runner tool cache,
#   <repo>/.tools/toolcache/tfpipe-checkov/<version>/x64   (bin/checkov)
# a link to the venv in the user's cache (one per version, shared by every clone: a fresh one takes
# minutes of pip).
# The scanners workflow test points RUNNER_TOOL_CACHE at .tools/toolcache, so the workflow finds it there
# and runs the real checkov offline. Safe to run repeatedly and concurrently (flock).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WORKFLOW="$ROOT/.github/workflows/terraform-plan.yml"
# the first `default:` after the `checkov-version:` input
VERSION="$(awk '/^      checkov-version:/ { found = 1 } found && /default:/ { gsub(/[" ]|default:/, ""); print; exit }' "$WORKFLOW")"
if [[ ! "$VERSION" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
  echo "checkov.sh: could not read the checkov-version default from $WORKFLOW (got '$VERSION')" >&2
  exit 1
fi
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/tfpipe"
PREFIX="$CACHE/checkov-venv-$VERSION"
LINK="$ROOT/.tools/toolcache/tfpipe-checkov/$VERSION/x64"

mkdir -p "$CACHE" "$(dirname "$LINK")"
exec 9>"$CACHE/checkov-venv-$VERSION.lock"
flock 9

link() {
  if [[ "$(readlink "$LINK" 2>/dev/null)" != "$PREFIX" ]]; then rm -rf "$LINK"; ln -s "$PREFIX" "$LINK"; fi
}

if [[ "$("$PREFIX/bin/checkov" --version 2>/dev/null || true)" == "$VERSION" ]]; then
  link
  echo "checkov $VERSION already installed in $PREFIX"
  exit 0
fi
PYTHON="${PYTHON:-$(command -v python3 || command -v python)}"
if [[ -z "$PYTHON" ]]; then
  echo "checkov.sh: python3 is required (apt-get install -y python3 python3-venv)" >&2
  exit 1
fi
rm -rf "$PREFIX"
"$PYTHON" -m venv "$PREFIX"
"$PREFIX/bin/python" -m pip install --quiet --disable-pip-version-check "checkov==$VERSION"
[[ "$("$PREFIX/bin/checkov" --version)" == "$VERSION" ]]
link
echo "checkov $VERSION installed in $PREFIX"
