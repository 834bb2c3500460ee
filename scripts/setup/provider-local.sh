#!/usr/bin/env bash
# Builds hashicorp/local from source with `go install` and lays it out as a Terraform filesystem mirror under
# .tools/providers, plus a CLI config .tools/terraformrc that installs hashicorp/local from that mirror only
# (for Terraform and OpenTofu, which looks the provider up under registry.opentofu.org).
# Tests and scripts/generate-fixtures.sh use it for real drift (local_file changed outside Terraform) offline.
#
# Version: 1.4.0. The Go module proxy only serves the v1 tags of this repository (v2.x tags have no /v2
# module path, so they are not valid Go module versions), and v1.4.0's go.mod names the module
# github.com/terraform-providers/terraform-provider-local (the repository's old home). It speaks plugin
# protocol 5, which Terraform 1.11 supports; local_file / data local_file behave as the tests need.
# Idempotent: does nothing when the binary and the CLI config are already there.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VERSION="1.4.0"
MODULE="github.com/terraform-providers/terraform-provider-local"
OS_ARCH="$(go env GOOS 2>/dev/null || echo linux)_$(go env GOARCH 2>/dev/null || echo amd64)"
MIRROR="$ROOT/.tools/providers"
DEST_DIR="$MIRROR/registry.terraform.io/hashicorp/local/$VERSION/$OS_ARCH"
DEST="$DEST_DIR/terraform-provider-local_v$VERSION"
RC="$ROOT/.tools/terraformrc"

write_rc() {
  mkdir -p "$ROOT/.tools/plugin-cache"
  local want
  want="$(cat <<RC
# written by scripts/setup/provider-local.sh
plugin_cache_dir = "$ROOT/.tools/plugin-cache"
provider_installation {
  filesystem_mirror {
    path    = "$MIRROR"
    include = ["registry.terraform.io/hashicorp/local", "registry.opentofu.org/hashicorp/local"]
  }
}
RC
)"
  if [ ! -f "$RC" ] || [ "$(cat "$RC")" != "$want" ]; then
    printf '%s\n' "$want" > "$RC"
    echo "provider-local: wrote $RC"
  fi
}

# OpenTofu resolves `hashicorp/local` on its own registry host: the same binary, under that name too.
link_opentofu() {
  # (a copy, not a symlink: the mirror scan does not follow a linked host directory)
  local dir="$MIRROR/registry.opentofu.org/hashicorp/local/$VERSION/$OS_ARCH"
  if [ -L "$MIRROR/registry.opentofu.org" ]; then rm "$MIRROR/registry.opentofu.org"; fi
  if [ -L "$ROOT/.tools/plugin-cache/registry.opentofu.org" ]; then rm "$ROOT/.tools/plugin-cache/registry.opentofu.org"; fi
  if [ ! -x "$dir/terraform-provider-local_v$VERSION" ]; then
    mkdir -p "$dir"
    cp "$DEST" "$dir/terraform-provider-local_v$VERSION.tmp"
    mv "$dir/terraform-provider-local_v$VERSION.tmp" "$dir/terraform-provider-local_v$VERSION"
  fi
}

# Pre-seed the shared plugin cache (same unpacked layout) so parallel `terraform init`s only read from it:
# terraform links providers from the cache instead of several inits writing into it at once.
seed_cache() {
  local cached="$ROOT/.tools/plugin-cache/registry.terraform.io/hashicorp/local/$VERSION/$OS_ARCH"
  if [ ! -x "$cached/terraform-provider-local_v$VERSION" ]; then
    mkdir -p "$cached"
    cp "$DEST" "$cached/terraform-provider-local_v$VERSION.tmp"
    mv "$cached/terraform-provider-local_v$VERSION.tmp" "$cached/terraform-provider-local_v$VERSION"
  fi
}

if [ -x "$DEST" ]; then
  write_rc
  seed_cache
  link_opentofu
  echo "provider-local: hashicorp/local $VERSION already in $DEST_DIR"
  exit 0
fi

command -v go >/dev/null || { echo "provider-local: go is required (https://go.dev/dl) to build hashicorp/local" >&2; exit 1; }

BUILD="$(mktemp -d)"
trap 'rm -rf "$BUILD"' EXIT
echo "provider-local: building $MODULE@v$VERSION"
# GOFLAGS=-mod=mod: the old module has no vendor consistency requirements; build it as a plain module.
GOBIN="$BUILD/bin" GOFLAGS=-mod=mod CGO_ENABLED=0 go install "$MODULE@v$VERSION"
mkdir -p "$DEST_DIR"
cp "$BUILD/bin/terraform-provider-local" "$DEST.tmp"
chmod 0755 "$DEST.tmp"
mv "$DEST.tmp" "$DEST"
write_rc
seed_cache
link_opentofu
echo "provider-local: installed $DEST"
