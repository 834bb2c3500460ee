import type { JsonValue, ResourceChange, TerraformPlan } from './plan-json.js'
import type { ChangeKind, OutputEntry, PlanCounts, PlanModel, ResourceEntry } from './model.js'
import { classifyActions, forgets, isImport, isMove, isSignificant } from './classify.js'
import { hasMark } from './redact.js'
import { planSecrets, redactChange, type RedactedChange } from './sensitive-places.js'
import { fingerprintOfChanges } from './fingerprint.js'

type JsonObject = Record<string, JsonValue>

function isObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** Renders a replace path (["tags","Name"], ["list", 0]) as "tags.Name" / "list[0]". */
export function renderPath(path: readonly JsonValue[]): string {
  let out = ''
  for (const step of path) {
    if (typeof step === 'number') out += `[${step}]`
    else if (typeof step === 'string')
      out += out === '' ? step : /^[A-Za-z_][A-Za-z0-9_-]*$/.test(step) ? `.${step}` : `[${JSON.stringify(step)}]`
    else out += `[${JSON.stringify(step)}]`
  }
  return out
}

function sameJson(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null)
}

/** Top-level attribute names whose raw value differs (unknown-after-apply counts as different). */
export function changedAttributes(rc: ResourceChange): string[] {
  const { before, after, after_unknown: unknown } = rc.change
  if (!isObject(before) || !isObject(after)) return []
  const names = new Set([...Object.keys(before), ...Object.keys(after)])
  if (isObject(unknown)) for (const k of Object.keys(unknown)) names.add(k)
  const changed: string[] = []
  for (const name of names) {
    const unknownNow = isObject(unknown) && hasMark(unknown[name])
    if (unknownNow || !sameJson(before[name], after[name])) changed.push(name)
  }
  return changed.sort()
}

/** One ResourceEntry; pass the plan's secrets (planSecrets(plan)) so unmarked copies are scrubbed too. */
export function toResourceEntry(rc: ResourceChange, secrets: readonly string[] = []): ResourceEntry {
  return entryOf(rc, redactChange(rc.change, secrets))
}

function entryOf(rc: ResourceChange, redacted: RedactedChange): ResourceEntry {
  const { before, after } = redacted
  const entry: ResourceEntry = {
    address: rc.address,
    moduleAddress: rc.module_address ?? '',
    type: rc.type,
    name: rc.name,
    mode: rc.mode,
    kind: classifyActions(rc.change.actions),
    actions: [...rc.change.actions],
    importing: isImport(rc),
    replacePaths: (rc.change.replace_paths ?? []).map((p) => renderPath(p)),
    before,
    after,
    changedAttributes: changedAttributes(rc),
  }
  if (isMove(rc)) entry.previousAddress = rc.previous_address
  if (rc.action_reason) entry.actionReason = rc.action_reason
  if (rc.deposed) entry.deposed = rc.deposed
  if (rc.index !== undefined) entry.index = rc.index
  return entry
}

export function emptyCounts(): PlanCounts {
  return { add: 0, change: 0, destroy: 0, replace: 0, import: 0, move: 0, forget: 0, read: 0, drift: 0, outputs: 0 }
}

/**
 * Counts over resource changes: `add` and `destroy` exclude replacements (`replace` counts them),
 * `forget` counts ["forget"] and the forget half of ["create","forget"]; the latter is also a `replace`
 * and is counted in `replaceForget` (a replacement that destroys nothing).
 */
export function countChanges(plan: TerraformPlan): PlanCounts {
  const counts = emptyCounts()
  for (const rc of plan.resource_changes ?? []) {
    const kind: ChangeKind = classifyActions(rc.change.actions)
    if (isImport(rc)) counts.import++
    if (isMove(rc)) counts.move++
    if (forgets(rc.change.actions)) counts.forget++
    switch (kind) {
      case 'create':
        counts.add++
        break
      case 'update':
        counts.change++
        break
      case 'delete':
        counts.destroy++
        break
      case 'replace':
        counts.replace++
        if (forgets(rc.change.actions)) counts.replaceForget = (counts.replaceForget ?? 0) + 1
        break
      case 'read':
        counts.read++
        break
      default:
        break
    }
  }
  counts.drift = (plan.resource_drift ?? []).length
  for (const oc of Object.values(plan.output_changes ?? {})) {
    if (classifyActions(oc.actions) !== 'no-op') counts.outputs++
  }
  return counts
}

export interface PlanLineOptions {
  /**
   * terraform_version of the plan. Terraform 1.11 (checked on 1.11.4) never mentions forgets in the line
   * ("Plan: 0 to add, 0 to change, 0 to destroy." for a plan that only forgets); later versions append
   * ", N to forget" when N > 0. Without a version the 1.11 wording is used.
   */
  terraformVersion?: string
}

function versionAtLeast(version: string | undefined, major: number, minor: number): boolean {
  const m = /^v?(\d+)\.(\d+)/.exec(version ?? '')
  if (!m) return false
  const [maj, min] = [Number(m[1]), Number(m[2])]
  return maj > major || (maj === major && min >= minor)
}

/**
 * Terraform's own summary line, as `terraform plan` / `terraform show` print it: a replacement is one add
 * plus one destroy (["create","forget"]: one add, no destroy); imports get "N to import, " in front when
 * non-zero; moves and data reads never appear. Terraform prints it only when some resource changes; a
 * plan without any prints "No changes." or only output changes instead.
 */
export function terraformPlanLine(counts: PlanCounts, options: PlanLineOptions = {}): string {
  const add = counts.add + counts.replace
  const destroy = counts.destroy + counts.replace - (counts.replaceForget ?? 0)
  const core = `${add} to add, ${counts.change} to change, ${destroy} to destroy`
  const imports = counts.import > 0 ? `${counts.import} to import, ` : ''
  const forget =
    counts.forget > 0 && versionAtLeast(options.terraformVersion, 1, 12) ? `, ${counts.forget} to forget` : ''
  return `Plan: ${imports}${core}${forget}.`
}

/**
 * Terraform 1.11 writes no `sensitive` flag on output_changes entries: a sensitive output shows as
 * before_sensitive/after_sensitive === true. planned_values and the configuration also say it.
 */
export function isSensitiveOutput(plan: TerraformPlan, name: string): boolean {
  const oc = plan.output_changes?.[name]
  if (oc && (oc.sensitive === true || oc.before_sensitive === true || oc.after_sensitive === true)) return true
  const pv = plan.planned_values
  if (isObject(pv) && isObject(pv.outputs)) {
    const o = pv.outputs[name]
    if (isObject(o) && o.sensitive === true) return true
  }
  const cfg = plan.configuration
  if (isObject(cfg) && isObject(cfg.root_module) && isObject(cfg.root_module.outputs)) {
    const o = cfg.root_module.outputs[name]
    if (isObject(o) && o.sensitive === true) return true
  }
  return false
}

/**
 * Builds the normalized, redacted PlanModel from the raw JSON of `terraform show -json <planfile>`.
 * `resources`: managed changes, moves and imports (also no-op ones), forgets, and data sources read during
 * apply (kind "read", mode "data"). `hasChanges`: a managed resource or an output changes (a refresh-only
 * plan that only records drift has hasChanges false, applyable true, counts.drift > 0).
 */
export interface BuildOptions {
  /**
   * false: resource (and drift) entries get `before`/`after` null instead of redacted copies of every value,
   * which the renderers never read; the fingerprint is the same (each change is redacted while hashed).
   * Saves most of the model's memory on large plans. Default true.
   */
  values?: boolean
  /** The plan's secrets, when the caller has them already (planSecrets(plan)). */
  secrets?: readonly string[]
}

const NO_VALUES: RedactedChange = { before: null, after: null }

export function buildPlanModel(plan: TerraformPlan, options: BuildOptions = {}): PlanModel {
  const secrets = options.secrets ?? planSecrets(plan)
  const values = options.values !== false
  // with values, each change is redacted once: the entries and the fingerprint's change set share them
  const significant: ResourceChange[] = []
  const resources: ResourceEntry[] = []
  for (const rc of plan.resource_changes ?? []) {
    if (!isSignificant(rc)) continue
    significant.push(rc)
    resources.push(entryOf(rc, values ? redactChange(rc.change, secrets) : NO_VALUES))
  }
  const drift = (plan.resource_drift ?? []).map((rc) =>
    values ? toResourceEntry(rc, secrets) : entryOf(rc, NO_VALUES),
  )
  const outputs: OutputEntry[] = []
  const redactedOutputs = new Map<string, RedactedChange>()
  for (const [name, oc] of Object.entries(plan.output_changes ?? {})) {
    const kind = classifyActions(oc.actions)
    if (kind === 'no-op') continue
    const redacted = redactChange(oc, secrets)
    redactedOutputs.set(name, redacted)
    const { before, after } = redacted
    outputs.push({ name, kind, sensitive: isSensitiveOutput(plan, name), before, after })
  }
  outputs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  const counts = countChanges(plan)
  const hasChanges = resources.some((r) => r.mode === 'managed') || outputs.length > 0
  return {
    terraformVersion: plan.terraform_version ?? '',
    errored: plan.errored === true,
    complete: plan.complete !== false,
    resources,
    drift,
    outputs,
    counts,
    hasChanges,
    applyable: plan.applyable === true,
    // the same as planFingerprint(plan), from the values redacted above
    fingerprint: fingerprintOfChanges(
      plan,
      significant,
      values ? (i) => resources[i]! : (i) => redactChange(significant[i]!.change, secrets),
      (name, oc) => redactedOutputs.get(name) ?? redactChange(oc, secrets),
    ),
  }
}
