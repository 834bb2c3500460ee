#!/usr/bin/env bash
# npm run demo: plans examples/demo with real terraform (local backend, terraform_data only: no cloud)
# on a temporary copy, then prints the PR comment and the job summary exactly as plan-and-comment
# renders them, through the CLI bundle (node dist/cli/index.js plan-comment).
#   BINARY=tofu npm run demo    uses OpenTofu instead; ENVIRONMENT=prod changes the environment.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
binary="${BINARY:-terraform}"
environment="${ENVIRONMENT:-dev}"
cli="$root/dist/cli/index.js"

command -v "$binary" >/dev/null || { echo "demo: '$binary' is not on PATH (scripts/setup/terraform.sh installs it)" >&2; exit 1; }
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
