#!/usr/bin/env bash
# Tests need a real terraform. Use the one on PATH (the machine image ships 1.11.4); otherwise build
# OpenTofu (scripts/setup/tofu.sh, the only reachable source of a Terraform-compatible CLI here) into
# .tools/bin/tofu, with a `terraform` link beside it so the tests find it. Idempotent.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
bin="$root/.tools/bin"
if command -v terraform >/dev/null 2>&1 || [ -x "$bin/terraform" ]; then exit 0; fi
echo "terraform not found: building OpenTofu instead (scripts/setup/tofu.sh)"
bash "$root/scripts/setup/tofu.sh" --install
ln -sf tofu "$bin/terraform"
"$bin/terraform" version
