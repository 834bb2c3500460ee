#!/usr/bin/env bash
# npm run demo: plans examples/demo with real terraform (local backend, terraform_data only: no cloud)
# on a temporary copy, then prints the PR comment and the job summary exactly as plan-and-comment
# renders them, through the CLI bundle (node dist/cli/index.js plan-comment).
#   ENVIRONMENT=prod npm run demo   plans another environment (default dev; the var of examples/demo)
#   BINARY=tofu npm run demo        uses OpenTofu: .tools/bin/tofu, built once by scripts/setup/tofu.sh
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
binary="${BINARY:-terraform}"
environment="${ENVIRONMENT:-dev}"
cli="$root/dist/cli/index.js"
# tools the setup scripts built (tofu; terraform on a machine without one) come first
export PATH="$root/.tools/bin:$PATH"

case "$binary" in
  terraform) command -v terraform >/dev/null || { echo "demo: terraform is not on PATH: install it (1.5 or later), or run BINARY=tofu npm run demo" >&2; exit 1; } ;;
  tofu) command -v tofu >/dev/null || bash "$root/scripts/setup/tofu.sh" --install >&2 ;;
  *) echo "demo: BINARY must be terraform or tofu; got '$binary'" >&2; exit 2 ;;
esac
[[ "$environment" =~ ^[A-Za-z0-9_-]+$ ]] || { echo "demo: ENVIRONMENT must be a name such as dev or prod; got '$environment'" >&2; exit 2; }
[ -f "$cli" ] || { echo "demo: $cli is missing; run: node scripts/build.mjs cli" >&2; exit 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/tfpipe-demo-XXXXXX")"
trap 'rm -rf "$work"' EXIT
cp -R "$root/examples/demo/." "$work/"
rm -rf "$work/.terraform" "$work/.terraform.lock.hcl" "$work"/terraform.tfstate* "$work"/*.tfplan

export TF_IN_AUTOMATION=1 TF_INPUT=0 CHECKPOINT_DISABLE=1
# the repo's CLI config (provider mirror) when set up; never a config file that does not exist
if [ -f "$root/.tools/terraformrc" ]; then
  export TF_CLI_CONFIG_FILE="$root/.tools/terraformrc"
elif [ -n "${TF_CLI_CONFIG_FILE:-}" ] && [ ! -f "$TF_CLI_CONFIG_FILE" ]; then
  unset TF_CLI_CONFIG_FILE
fi
echo "demo: $binary init + plan in $work" >&2
"$binary" -chdir="$work" init -input=false -backend=true >/dev/null
"$binary" -chdir="$work" plan -input=false -var "environment=$environment" -out=demo.tfplan >/dev/null

cd "$work"
echo "=================== PR comment ===================" >&2
node "$cli" plan-comment --plan-file demo.tfplan --binary "$binary" --dir . --env "$environment"
echo >&2
echo "=================== job summary ==================" >&2
node "$cli" plan-comment --plan-file demo.tfplan --binary "$binary" --dir . --env "$environment" --summary
