import type { PlanCounts, PlanModel } from '@tfpipe/terraform/model.js'
import { terraformCounts } from './counts.js'
import type { CostInsight, GatePreview, SecurityInsight } from './insights.js'
import type { Severity } from '@tfpipe/policy/types.js'
import { changeList, type PlannedChange } from '@tfpipe/github/reviewed-plan.js'

/** The JSON report (output `report`): counts and addresses by action. Addresses only, never values. */
export interface PlanReport {
  schema: 1
  environment: string
  directory: string
  terraformVersion: string
  errored: boolean
  hasChanges: boolean
  fingerprint: string
  counts: PlanCounts
  /** Counts as Terraform prints them (replacements inside add and destroy). */
  terraformCounts: { import: number; add: number; change: number; destroy: number; forget: number }
  addresses: {
    create: string[]
    update: string[]
    delete: string[]
    replace: string[]
    read: string[]
    forget: string[]
    import: string[]
    move: { from: string; to: string }[]
    drift: string[]
  }
  outputs: { name: string; action: string; sensitive: boolean }[]
  /** `action address` per change, as in the comment's hidden change list (safety-gate compares it). */
  changes: PlannedChange[]
  /** With infracost-json: the monthly change (amounts, no resource names). */
  cost?: { currency: string; diff: number; past: number; percent: number | null }
  /** With sarif: counts only. */
  security?: { total: number; bySeverity: Record<Severity, number>; suppressed: number; tools: string[] }
  /** With policy-file: what safety-gate would decide on this plan (rule names and the gate's messages). */
  gatePreview?: { verdict: 'allow' | 'refuse'; refusing: { check: string; message: string }[]; atDeploy: string[] }
  /** The workflow run that made this report. */
  runUrl?: string
}

export interface ReportExtras {
  cost?: CostInsight
  security?: SecurityInsight
  preview?: GatePreview
  runUrl?: string
}

export function buildReport(
  model: PlanModel,
  environment: string,
  directory: string,
  extras: ReportExtras = {},
): PlanReport {
  const a: PlanReport['addresses'] = {
    create: [],
    update: [],
    delete: [],
    replace: [],
    read: [],
    forget: [],
    import: [],
    move: [],
    drift: [],
  }
  for (const e of model.resources) {
    if (e.kind !== 'no-op') a[e.kind].push(e.address)
    if (e.importing) a.import.push(e.address)
    if (e.previousAddress && e.previousAddress !== e.address) a.move.push({ from: e.previousAddress, to: e.address })
    // ["create","forget"]: created, and the old object is forgotten
    if (e.kind === 'create' && e.actions.includes('forget')) a.forget.push(e.address)
  }
  for (const e of model.drift) a.drift.push(e.address)
  const report: PlanReport = {
    schema: 1,
    environment,
    directory,
    terraformVersion: model.terraformVersion,
    errored: model.errored,
    hasChanges: model.hasChanges,
    fingerprint: model.fingerprint,
    counts: model.counts,
    terraformCounts: terraformCounts(model.counts),
    addresses: a,
    outputs: model.outputs
      .filter((o) => o.kind !== 'no-op')
      .map((o) => ({ name: o.name, action: o.kind, sensitive: o.sensitive })),
    changes: changeList(model),
  }
  const { cost, security, preview } = extras
  if (cost) report.cost = { currency: cost.currency, diff: cost.diff, past: cost.past, percent: cost.percent ?? null }
  if (security)
    report.security = {
      total: security.findings.length,
      bySeverity: security.bySeverity,
      suppressed: security.suppressed,
      tools: security.tools,
    }
  if (preview) {
    report.gatePreview = {
      verdict: preview.refusing.length > 0 ? 'refuse' : 'allow',
      refusing: preview.refusing.map((r) => ({ check: r.check, message: r.message })),
      atDeploy: preview.atDeploy,
    }
  }
  if (extras.runUrl) report.runUrl = extras.runUrl
  return report
}
