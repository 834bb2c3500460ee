#!/usr/bin/env bash
# Tests need a real terraform. Use the one on PATH (the machine image ships 1.11.4); otherwise build
# OpenTofu from the Go module proxy (the only reachable source of a Terraform-compatible CLI here)
# into .tools/bin, with a `terraform` link so the tests find it. Idempotent.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
bin="$root/.tools/bin"
if command -v terraform >/dev/null 2>&1 || [ -x "$bin/terraform" ]; then exit 0; fi
version="v1.10.7"
echo "terraform not found: building OpenTofu $version from the Go module proxy (a few minutes)..."
src="$(go mod download -json "github.com/opentofu/opentofu@$version" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')"
work="$(mktemp -d)"
cp -r "$src/." "$work/" && chmod -R u+w "$work"
mkdir -p "$bin"
(cd "$work" && CGO_ENABLED=0 go build -o "$bin/tofu" ./cmd/tofu)
ln -sf tofu "$bin/terraform"
rm -rf "$work"
"$bin/terraform" version
