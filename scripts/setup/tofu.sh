#!/usr/bin/env bash
# Installs a pinned OpenTofu as <repo>/.tools/bin/tofu, built from its Go module (the Go module proxy is
# the only reachable source of an OpenTofu binary here: no release download). Idempotent: does nothing
# when .tools/bin/tofu already is the pinned version. The first build takes a few minutes (module
# download + compile on 2 cores); later ones reuse Go's module and build caches.
# `npm run setup` (and so `.ci/run`) builds it: the e2e tests of plan-and-comment, drift-check and
# rollback-state also run with `binary: tofu`. `--install` is accepted for callers that name it
# (BINARY=tofu npm run demo, terraform.sh when the machine has no terraform).
# Prints the binary's path last when it is installed.
set -euo pipefail

TOFU_VERSION="${TOFU_VERSION:-v1.10.10}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bin="$root/.tools/bin"
tofu="$bin/tofu"

mkdir -p "$bin"
exec 9>"$root/.tools/tofu.lock"
flock 9

if [[ -x "$tofu" ]] && "$tofu" version 2>/dev/null | head -1 | grep -qx "OpenTofu ${TOFU_VERSION}"; then
  echo "$tofu"
  exit 0
fi
command -v go >/dev/null || { echo "tofu.sh: go is required to build OpenTofu $TOFU_VERSION (apt-get install -y golang-go)" >&2; exit 1; }

echo "tofu.sh: building OpenTofu $TOFU_VERSION from the Go module proxy (a few minutes the first time)..." >&2
src="$(go mod download -json "github.com/opentofu/opentofu@$TOFU_VERSION" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')"
[[ -n "$src" && -d "$src" ]] || { echo "tofu.sh: go mod download of github.com/opentofu/opentofu@$TOFU_VERSION failed" >&2; exit 1; }
# Built in place in the (read-only) module cache with the module's own go.mod and go.sum; only the
# binary is written. dev=no makes `tofu version` print the release version without "-dev".
(cd "$src" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X github.com/opentofu/opentofu/version.dev=no" -o "$tofu.tmp" ./cmd/tofu)
mv "$tofu.tmp" "$tofu"
"$tofu" version | head -1 >&2
echo "$tofu"
