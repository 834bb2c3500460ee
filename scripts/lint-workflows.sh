#!/usr/bin/env bash
# Lints the reusable workflows (.github/workflows/) and the starter templates (workflows-templates/):
#   actionlint  syntax, expressions, contexts, `needs`, workflow_call inputs, local action inputs, and
#               ShellCheck on every `run:` script (when shellcheck is on PATH: scripts/setup/lint-tools.sh
#               installs it);
#   zizmor      security audits, regular persona, offline, with .github/zizmor.yml when there is one (the
#               default branch: it allows this repository's own movable @v1 references); a release
#               commit has none, so its workflows pass zizmor's defaults, as on a caller's repository.
# Fails on any finding of either. Install both first: bash scripts/setup/lint-tools.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

ACTIONLINT="$ROOT/.tools/bin/actionlint"
ZIZMOR="$ROOT/.tools/zizmor-venv/bin/zizmor"
for tool in "$ACTIONLINT" "$ZIZMOR"; do
  if [[ ! -x "$tool" ]]; then
    echo "lint-workflows.sh: $tool is missing: run bash scripts/setup/lint-tools.sh" >&2
    exit 1
  fi
done
# The ShellCheck of lint-tools.sh's fallback, when Debian's package could not be installed.
export PATH="$ROOT/.tools/bin:$PATH"
if ! command -v shellcheck >/dev/null 2>&1; then
  echo "lint-workflows.sh: shellcheck is missing (run bash scripts/setup/lint-tools.sh): run: scripts would go unchecked" >&2
  exit 1
fi

shopt -s nullglob
files=(.github/workflows/*.yml .github/workflows/*.yaml)
# A starter template is a workflow with a <name>.properties.json beside it (terraform-policy.example.yml
# is a policy file, not a workflow).
for props in workflows-templates/*.properties.json; do
  name="${props%.properties.json}"
  for ext in yml yaml; do
    if [[ -f "$name.$ext" ]]; then files+=("$name.$ext"); fi
  done
done
if (( ${#files[@]} == 0 )); then
  echo "lint-workflows.sh: no workflow found" >&2
  exit 1
fi

status=0
echo "== actionlint $("$ACTIONLINT" -version | head -n 1) on ${#files[@]} files"
# -shellcheck/-pyflakes are found on PATH; the "default" config is fine (no .github/actionlint.yaml).
if ! "$ACTIONLINT" -no-color "${files[@]}"; then
  status=1
else
  echo "actionlint: no findings"
fi

zizmor_config=(--no-config)
if [[ -f .github/zizmor.yml ]]; then zizmor_config=(--config .github/zizmor.yml); fi
echo "== $("$ZIZMOR" --version) (regular persona, offline, ${zizmor_config[*]})"
# GH_TOKEN/GITHUB_TOKEN would turn on online audits: keep the run offline and reproducible.
if ! env -u GH_TOKEN -u GITHUB_TOKEN -u ZIZMOR_GITHUB_TOKEN \
  "$ZIZMOR" --offline --persona regular --no-progress --color never "${zizmor_config[@]}" "${files[@]}"; then
  status=1
fi

if (( status != 0 )); then
  echo "lint-workflows.sh: findings above must be fixed" >&2
fi
exit "$status"
