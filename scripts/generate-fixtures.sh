#!/usr/bin/env bash
# Regenerates the plan fixtures with real terraform:  npm run fixtures [-- scenario...]
#   examples/fixtures/<scenario>/base/     applied first (optional)
#   examples/fixtures/<scenario>/change/   then planned against that state
#   examples/fixtures/<scenario>/*.tfvars  copied next to both
#   examples/fixtures/<scenario>/before-plan.sh  run (bash) in the work dir before the plan (drift, taint)
#   examples/fixtures/<scenario>/expect-error    the plan must fail (exit 1) yet save an errored plan
#   examples/fixtures/<scenario>/plan-args       extra `terraform plan` arguments, one per line (-refresh-only)
#   scenario "demo" plans examples/demo from scratch.
# Writes __tests__/fixtures/plans/<scenario>.json (terraform show -json) and .txt (show -no-color);
# files over 5 MB are gzipped (.json.gz / .txt.gz; see __tests__/support/terraform.ts loadPlanFixture).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SRC="$ROOT/examples/fixtures"
OUT="$ROOT/__tests__/fixtures/plans"
TERRAFORM="${TERRAFORM:-terraform}"
MAX_PLAIN=$((5 * 1024 * 1024))

bash "$ROOT/scripts/setup/provider-local.sh" >/dev/null
export TF_CLI_CONFIG_FILE="$ROOT/.tools/terraformrc"
export TF_IN_AUTOMATION=1 TF_INPUT=0
unset TF_LOG TF_WORKSPACE

mkdir -p "$OUT"
if [ "$#" -gt 0 ]; then
  scenarios=("$@")
else
  scenarios=(demo)
  for d in "$SRC"/*/; do scenarios+=("$(basename "$d")"); done
fi

tf() { "$TERRAFORM" "$@" -no-color; }

copy_config() { # from to
  cp -R "$1"/. "$2"/
  if [ -d "$SRC/$scenario" ]; then
    find "$SRC/$scenario" -maxdepth 1 -name '*.tfvars' -exec cp {} "$2"/ \;
  fi
}

write_out() { # file name
  local file="$1" name="$2"
  rm -f "$OUT/$name" "$OUT/$name.gz"
  if [ "$(wc -c < "$file")" -gt "$MAX_PLAIN" ]; then
    gzip -n -9 -c "$file" > "$OUT/$name.gz"
  else
    cp "$file" "$OUT/$name"
  fi
}

for scenario in "${scenarios[@]}"; do
  work="$(mktemp -d)"
  log="$work.log"
  echo "fixture $scenario"
  (
    cd "$work"
    if [ "$scenario" = demo ]; then
      change="$ROOT/examples/demo"
    else
      [ -d "$SRC/$scenario/change" ] || { echo "no such scenario: $scenario" >&2; exit 1; }
      change="$SRC/$scenario/change"
      if [ -d "$SRC/$scenario/base" ]; then
        copy_config "$SRC/$scenario/base" "$work"
        tf init -input=false >>"$log"
        tf apply -auto-approve -input=false >>"$log"
        # swap the configuration, keep state, providers and lock file
        find "$work" -maxdepth 1 -type f \( -name '*.tf' -o -name '*.tfvars' \) -delete
        rm -rf "$work/modules" "$work/.terraform/modules"
      fi
    fi
    copy_config "$change" "$work"
    rm -rf "$work/.terraform.lock.hcl.bak" "$work"/*.tfstate.backup
    tf init -input=false >>"$log"
    if [ -f "$SRC/$scenario/before-plan.sh" ]; then bash "$SRC/$scenario/before-plan.sh" >>"$log" 2>&1; fi
    extra=()
    if [ -f "$SRC/$scenario/plan-args" ]; then mapfile -t extra < "$SRC/$scenario/plan-args"; fi
    set +e
    tf plan -input=false -out=plan.tfplan "${extra[@]}" >>"$log" 2>&1
    rc=$?
    set -e
    if [ -f "$SRC/$scenario/expect-error" ]; then
      [ "$rc" -eq 1 ] || { echo "$scenario: expected the plan to fail, exit $rc" >&2; exit 1; }
    elif [ "$rc" -ne 0 ]; then
      echo "$scenario: terraform plan failed (exit $rc):" >&2; tail -30 "$log" >&2; exit 1
    fi
    [ -f plan.tfplan ] || { echo "$scenario: no plan file written" >&2; exit 1; }
    "$TERRAFORM" show -json plan.tfplan > plan.json
    "$TERRAFORM" show -no-color plan.tfplan > plan.txt
    write_out plan.json "$scenario.json"
    write_out plan.txt "$scenario.txt"
  ) || { echo "fixture $scenario failed; log: $log" >&2; exit 1; }
  rm -rf "$work" "$log"
done
ls -l "$OUT"
