/**
 * The `details` input, normalised. It takes what the other actions output, as the user passes it:
 * a flat object of outputs (`add`, `tag`, `violations`...), the same nested by step
 * (`{"plan": ${{ toJSON(steps.plan.outputs) }}, "gate": ...}`), or JSON arrays still encoded as
 * strings (step outputs are strings). Keys match in any case and with or without dashes or
 * underscores; unknown keys are ignored.
 */
import type { Counts, Details } from './details-model.js'
import { diff, durationSeconds, issues, locks, stacks } from './details-parts.js'
import { bool, decode, isObject, normKey, num, pick, str, type Json } from './step-outputs.js'

/** Keys whose object value is data, not a group of step outputs to flatten. */
const STRUCTURED = new Set(['counts', 'diff', 'stacks', 'stalelocks', 'locks', 'violations', 'warnings', 'info'])

function flatten(input: Record<string, Json>): Record<string, Json> {
  // Top-level values win; groups of step outputs (`{"plan": {...}}`) fill in what is missing.
  const flat: Record<string, Json> = {}
  const groups: Record<string, Json>[] = []
  for (const [k, v] of Object.entries(input)) {
    const d = decode(v)
    if (isObject(d) && !STRUCTURED.has(normKey(k))) groups.push(d)
    else flat[k] = v
  }
  const present = new Set(Object.keys(flat).map(normKey))
  for (const group of groups) {
    for (const [k, v] of Object.entries(group)) {
      if (present.has(normKey(k)) || v === '' || v === null) continue
      flat[k] = v
      present.add(normKey(k))
    }
  }
  return flat
}

export function normalizeDetails(input: unknown): Details {
  const root = decode(input)
  const obj = isObject(root) ? flatten(root) : {}
  const countsObj = pick(obj, 'counts')
  const cs = isObject(countsObj) ? countsObj : obj
  const add = num(pick(cs, 'add', 'create', 'to-add'))
  const change = num(pick(cs, 'change', 'update', 'to-change'))
  const destroy = num(pick(cs, 'destroy', 'delete', 'to-destroy'))
  const replace = num(pick(cs, 'replace', 'to-replace'))
  const anyCount = [add, change, destroy, replace].some((n) => n !== undefined)
  const counts: Counts | undefined = anyCount
    ? {
        add: add ?? 0,
        change: change ?? 0,
        destroy: destroy ?? 0,
        replace: replace ?? 0,
        ...optionalNumber('import', num(pick(cs, 'import'))),
        ...optionalNumber('move', num(pick(cs, 'move'))),
        ...optionalNumber('forget', num(pick(cs, 'forget'))),
        ...optionalNumber('drift', num(pick(cs, 'drift'))),
      }
    : undefined
  const pr = pick(obj, 'pr-url', 'pull-request-url', 'pull-request', 'pr')
  const prStr = str(pr)
  const prNumber = num(pick(obj, 'pr-number')) ?? (prStr && /^\d+$/.test(prStr) ? Number(prStr) : undefined)
  const d: Details = {
    counts,
    hasChanges: bool(pick(obj, 'has-changes')),
    fingerprint: str(pick(obj, 'fingerprint')),
    commentUrl: str(pick(obj, 'comment-url', 'plan-comment-url')),
    artifactUrl: str(pick(obj, 'artifact-url')),
    tag: str(pick(obj, 'tag')),
    verification: str(pick(obj, 'verification')),
    autoRollback: bool(pick(obj, 'auto-rollback')),
    tagUrl: str(pick(obj, 'tag-url')),
    deploymentId: str(pick(obj, 'deployment-id')),
    previousTag: str(pick(obj, 'previous-tag')),
    restoredVersionId: str(pick(obj, 'restored-version-id')),
    previousVersionId: str(pick(obj, 'previous-version-id')),
    newVersionId: str(pick(obj, 'new-version-id')),
    serial: str(pick(obj, 'serial')),
    diff: diff(pick(obj, 'diff')),
    violations: issues(pick(obj, 'violations')),
    warnings: issues(pick(obj, 'warnings')),
    stacks: stacks(pick(obj, 'stacks')),
    staleLocks: locks(pick(obj, 'stale-locks', 'locks')),
    driftCount: num(pick(obj, 'drift-count')),
    pendingCount: num(pick(obj, 'pending-count')),
    failedChecks: num(pick(obj, 'failed')) || undefined,
    missingChecks: num(pick(obj, 'missing')) || undefined,
    overrideReason: str(pick(obj, 'override-reason')),
    reason: str(pick(obj, 'reason', 'rollback-reason')),
    overriddenBy: str(pick(obj, 'overridden-by', 'override-actor', 'approver')),
    durationSeconds: durationSeconds(obj),
    error: str(pick(obj, 'error', 'failure', 'error-message', 'failed-step')),
    prUrl: prStr && !/^\d+$/.test(prStr) ? prStr : undefined,
    prNumber,
    sha: str(pick(obj, 'sha', 'commit')),
    actor: str(pick(obj, 'actor')),
    version: str(pick(obj, 'version', 'release')),
  }
  return d
}

function optionalNumber<K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, number>)
}
