/**
 * What the PR comment adds to the plan: the monthly cost change (Infracost), the security scan (SARIF) and a
 * preview of safety-gate's verdict. Every rule (severity, suppression, cost arithmetic, gate checks) comes
 * from packages/policy: this file only selects and renders. Rendered blocks are escaped like the rest of
 * the comment and each fits a character budget.
 */
import { fitCountedLines } from '@tfpipe/markdown/budget.js'
import { escapeText, inlineCode } from '@tfpipe/markdown/escape.js'
import type { PlanModel } from '@tfpipe/terraform/model.js'
import { amount, costChange, type InfracostDiff } from '@tfpipe/policy/cost.js'
import { isSuppressed, sarifFindings, severityRank, type SarifLog, type SecurityFinding } from '@tfpipe/policy/sarif.js'
import { evaluateGate } from '@tfpipe/policy/gate.js'
import type { GateGitHub, GateInput, PullRequestRef } from '@tfpipe/policy/context.js'
import {
  CHECK_NAMES,
  SEVERITIES,
  type CheckName,
  type CheckResult,
  type EnvironmentPolicy,
  type Severity,
} from '@tfpipe/policy/types.js'

// ---- cost ------------------------------------------------------------------------------------------------

/** `infracost diff --format json`: the totals safety-gate reads, plus the per-project resource diff. */
export interface InfracostJson extends InfracostDiff {
  projects?: {
    name?: string
    diff?: { resources?: { name?: string; monthlyCost?: string | number | null }[] } | null
  }[]
}

export interface CostInsight {
  currency: string
  /** Monthly change; NaN-free (safety-gate's costChange decides how unknown amounts count). */
  diff: number
  past: number
  percent: number | undefined
  /** Resources whose monthly cost changes, largest change first. */
  resources: { name: string; delta: number }[]
  /** Set when the totals cannot be read (safety-gate then refuses a cost limit): what is wrong. */
  problem?: string
}

export function costInsight(data: InfracostJson): CostInsight {
  const change = costChange(data)
  const projects = data.projects ?? []
  const resources: { name: string; delta: number }[] = []
  for (const project of projects) {
    for (const r of project.diff?.resources ?? []) {
      const delta = amount(r.monthlyCost)
      if (delta === undefined || delta === 0) continue
      const name = `${projects.length > 1 && project.name ? `${project.name}: ` : ''}${r.name ?? '(unnamed resource)'}`
      resources.push({ name, delta })
    }
  }
  resources.sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta) || (a.name < b.name ? -1 : 1))
  if (!change.readable)
    return {
      currency: data.currency ?? '',
      diff: Number.NaN,
      past: Number.NaN,
      percent: undefined,
      resources,
      problem: change.problem,
    }
  return { currency: change.currency, diff: change.diff, past: change.past, percent: change.percent, resources }
}

export function money(n: number, currency: string): string {
  if (!Number.isFinite(n)) return `unknown ${currency}`
  const sign = n > 0 ? '+' : n < 0 ? '−' : '±'
  return `${sign}${Math.abs(n).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ${currency}`
}

/** One line: "+160.00 USD/month (+20.0%, was 800.00)". */
export function costLine(c: CostInsight): string {
  if (c.problem) return 'not readable'
  const pct = c.percent === undefined ? 'from 0' : `${c.percent >= 0 ? '+' : ''}${c.percent.toFixed(1)}%`
  return `${money(c.diff, c.currency)}/month (${pct}, was ${c.past.toFixed(2)})`
}

export function renderCost(c: CostInsight, maxChars: number, top = 10): string {
  if (c.problem)
    return `#### 💰 Monthly cost: not readable\n\n${escapeText(c.problem.slice(0, Math.max(0, maxChars - 200)))} — safety-gate refuses a cost limit on this file.`
  const head = `#### 💰 Monthly cost: ${escapeText(costLine(c))}\n\n`
  const source = '<sub>Infracost estimate for this plan.</sub>'
  if (c.resources.length === 0) return `${head}${source}`
  const lines = c.resources
    .slice(0, top)
    .map((r) => `- ${inlineCode(r.name, 160)}: ${escapeText(money(r.delta, c.currency))}`)
  const rest = c.resources.length - Math.min(top, c.resources.length)
  if (rest > 0) lines.push(`- …and ${rest} more ${rest === 1 ? 'resource' : 'resources'} with a cost change`)
  const weights = lines.map((_, i) => (i < Math.min(top, c.resources.length) ? 1 : 0))
  const body = fitCountedLines(
    lines,
    weights,
    maxChars - head.length - source.length - 2,
    (n) => `- …and ${n + rest} more resources with a cost change`,
  )
  return `${head}${body}${body ? '\n\n' : ''}${source}`
}

// ---- security --------------------------------------------------------------------------------------------

export interface SecurityInsight {
  tools: string[]
  bySeverity: Record<Severity, number>
  /** Findings marked suppressed in the SARIF (not in bySeverity, not seen by the gate). */
  suppressed: number
  /** Unsuppressed findings, most severe first. */
  findings: SecurityFinding[]
}

export function securityInsight(logs: readonly SarifLog[]): SecurityInsight {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>
  const tools = new Set<string>()
  let suppressed = 0
  const findings: SecurityFinding[] = []
  for (const log of logs) {
    for (const run of log.runs ?? []) {
      tools.add(run.tool?.driver?.name ?? 'unknown tool')
      for (const result of run.results ?? []) if (isSuppressed(result)) suppressed++
    }
    findings.push(...sarifFindings(log))
  }
  for (const f of findings) bySeverity[f.severity]++
  // stable: most severe first, then file and line
  findings.sort(
    (a, b) =>
      severityRank(b.severity) - severityRank(a.severity) ||
      (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0)),
  )
  return { tools: [...tools].sort(), bySeverity, suppressed, findings }
}

const SEVERITY_ICON: Record<Severity, string> = { critical: '🔴', high: '🟠', medium: '🟡', low: '🔵', info: '⚪' }

/** "🔴 1 critical · 🟠 2 high · …", highest first, zero counts left out. */
export function severityLine(s: SecurityInsight): string {
  const total = s.findings.length
  const parts = [...SEVERITIES]
    .reverse()
    .filter((sev) => s.bySeverity[sev] > 0)
    .map((sev) => `${SEVERITY_ICON[sev]} ${s.bySeverity[sev]} ${sev}`)
  const suppressed = s.suppressed > 0 ? ` · ${s.suppressed} suppressed (not counted)` : ''
  return `${total} ${total === 1 ? 'finding' : 'findings'}${parts.length ? `: ${parts.join(' · ')}` : ''}${suppressed}`
}

/** file:line as a link to the code when `fileUrl` knows it, as text otherwise. */
export type FileUrl = (file: string, line: number | undefined) => string | undefined

export function renderSecurity(
  s: SecurityInsight,
  maxChars: number,
  fileUrl: FileUrl = () => undefined,
  top = 10,
): string {
  const head = `#### 🛡️ Security scan (${escapeText(s.tools.join(', ') || 'SARIF')}): ${escapeText(severityLine(s))}\n\n`
  if (s.findings.length === 0) return head.trimEnd()
  const lines = s.findings.slice(0, top).map((f) => {
    const where = `${f.file}${f.line !== undefined ? `:${f.line}` : ''}`
    const url = fileUrl(f.file, f.line)
    const location = url ? `[${escapeText(where)}](${url})` : inlineCode(where, 160)
    const message = f.message
      ? ` — ${escapeText(f.message.length > 200 ? `${f.message.slice(0, 199)}…` : f.message)}`
      : ''
    return `- ${SEVERITY_ICON[f.severity]} **${f.severity}** ${inlineCode(f.rule, 80)}${message} — ${location} · ${escapeText(f.tool)}`
  })
  const rest = s.findings.length - lines.length
  if (rest > 0) lines.push(`- …and ${rest} more ${rest === 1 ? 'finding' : 'findings'} (code scanning has them all)`)
  const weights = lines.map((_, i) => (i < Math.min(top, s.findings.length) ? 1 : 0))
  const body = fitCountedLines(
    lines,
    weights,
    maxChars - head.length,
    (n) => `- …and ${n + rest} more findings (code scanning has them all)`,
  )
  return `${head}${body}`
}

/**
 * A link to `file` at `line` in the repository at `sha`, or undefined when the path is not a plain
 * repository-relative path (absolute outside the workspace, `..`, a URL scheme).
 */
export function blobUrl(
  serverUrl: string,
  owner: string,
  repo: string,
  sha: string,
  file: string,
  line: number | undefined,
): string | undefined {
  const path = file.replace(/^\.\//, '')
  if (
    !sha ||
    path === '' ||
    path.startsWith('/') ||
    /^[a-z][a-z0-9+.-]*:/i.test(path) ||
    path.split('/').some((p) => p === '..' || p === '')
  )
    return undefined
  const encoded = path.split('/').map(encodeURIComponent).join('/')
  return `${serverUrl}/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/blob/${encodeURIComponent(sha)}/${encoded}${line !== undefined && line > 0 ? `#L${line}` : ''}`
}

// ---- gate preview ----------------------------------------------------------------------------------------

/** The checks safety-gate can decide from the plan, the cost and the scan alone: the preview runs these. */
export const PLAN_TIME_CHECKS: readonly CheckName[] = ['destroy', 'protected', 'cost', 'security']

export interface GatePreview {
  environment: string
  /** Results of the plan-time checks, from safety-gate's own evaluateGate. */
  results: CheckResult[]
  refusing: CheckResult[]
  warnings: CheckResult[]
  /** Rules of the policy that need deploy-time facts (time, approvals, earlier deploys, inputs). */
  atDeploy: CheckName[]
}

/** Is the rule for `check` set in the policy (the policy keys are the check names)? */
function configured(policy: EnvironmentPolicy, check: CheckName): boolean {
  const value = (policy as Record<string, unknown>)[check]
  if (value === undefined || value === null || value === '' || value === false) return false
  if (Array.isArray(value)) return value.length > 0
  if (typeof value === 'object')
    return Object.values(value as Record<string, unknown>).some(
      (v) => v !== undefined && v !== false && !(Array.isArray(v) && v.length === 0),
    )
  return true
}

/**
 * What safety-gate would decide on this plan: its evaluateGate over the plan-time rules of the policy (the
 * deploy-time rules are left out and listed). `pullRequest` supplies the PR's labels for the protected
 * rule's override label; nothing else reaches GitHub.
 */
export async function gatePreview(
  policy: EnvironmentPolicy,
  // the gate's own input fields (names: how messages name the gate's options, default safety-gate's inputs)
  input: Pick<GateInput, 'environment' | 'sha' | 'workingDirectory' | 'infracost' | 'sarif' | 'names'> & {
    model: PlanModel
    pullRequest?: PullRequestRef
  },
): Promise<GatePreview> {
  const planTime: Record<string, unknown> = { timezone: policy.timezone }
  for (const check of PLAN_TIME_CHECKS) {
    const rule = (policy as Record<string, unknown>)[check]
    if (rule !== undefined) planTime[check] = rule
  }
  const deployOnly = (): Promise<never> => Promise.reject(new Error('checked at deploy'))
  const github: GateGitHub = {
    pullRequestOfCommit: () => Promise.resolve(input.pullRequest),
    environmentProtection: deployOnly,
    successfulDeployment: deployOnly,
    reviewedPlan: deployOnly,
  }
  const verdict = await evaluateGate(planTime, {
    ...(input.names ? { names: input.names } : {}),
    environment: input.environment,
    sha: input.sha,
    workingDirectory: input.workingDirectory,
    plan: { model: input.model },
    confirmation: '',
    changeTicket: '',
    forceRecreate: false,
    overrideReason: '',
    sarif: input.sarif,
    github,
    ...(input.infracost ? { infracost: input.infracost } : {}),
  })
  const results = verdict.results.filter((r) => PLAN_TIME_CHECKS.includes(r.check))
  return {
    environment: input.environment,
    results,
    refusing: results.filter((r) => r.status === 'fail'),
    warnings: results.filter((r) => r.status === 'warn'),
    atDeploy: CHECK_NAMES.filter((c) => !PLAN_TIME_CHECKS.includes(c) && configured(policy, c)),
  }
}

/** "would refuse (2 rules)" / "would allow" for tables and the title line. */
export function gateVerdictText(g: GatePreview): string {
  return g.refusing.length > 0
    ? `❌ would refuse (${g.refusing.length} ${g.refusing.length === 1 ? 'rule' : 'rules'})`
    : '✅ would allow'
}

export function renderGatePreview(g: GatePreview, maxChars: number, maxDetails = 5): string {
  const env = inlineCode(g.environment || '(no environment)', 80)
  const headline =
    g.refusing.length > 0
      ? `#### 🔮 Gate preview: safety-gate would refuse the deploy to ${env} (${g.refusing.length} ${g.refusing.length === 1 ? 'violation' : 'violations'})`
      : `#### 🔮 Gate preview: safety-gate would allow the deploy to ${env} so far`
  const note = '<sub>Preview on this plan — safety-gate decides at deploy time, on the plan it applies.</sub>'
  const lines: string[] = []
  const weights: number[] = []
  for (const r of [...g.refusing, ...g.warnings]) {
    lines.push(`- ${r.status === 'fail' ? '❌' : '⚠️'} **${r.check}** — ${escapeText(r.message)}`)
    weights.push(1)
    const details = r.details ?? []
    for (const d of details.slice(0, maxDetails)) {
      lines.push(`  - ${inlineCode(d, 200)}`)
      weights.push(0)
    }
    if (details.length > maxDetails) {
      lines.push(`  - …and ${details.length - maxDetails} more`)
      weights.push(0)
    }
  }
  const passed = g.results.filter((r) => r.status === 'pass').map((r) => r.check)
  const tail: string[] = []
  if (passed.length > 0) tail.push(`✅ passes: ${passed.join(', ')}`)
  if (g.atDeploy.length > 0) tail.push(`⏳ checked at deploy: ${g.atDeploy.join(', ')}`)
  const tailText = tail.length ? `\n\n${tail.join(' · ')}` : ''
  const frame = headline.length + note.length + tailText.length + 4
  const body = fitCountedLines(
    lines,
    weights,
    maxChars - frame,
    (n) => `- ✂️ …and ${n} more ${n === 1 ? 'rule' : 'rules'} — see safety-gate`,
  )
  return `${headline}\n\n${note}${body ? `\n\n${body}` : ''}${tailText}`
}

// ---- together -----------------------------------------------------------------------------------------------

export interface Insights {
  cost?: CostInsight
  security?: SecurityInsight
  preview?: GatePreview
}

/** The blocks for the comment (short: top 10, small caps) or the job summary (longer lists). */
export function renderInsights(insights: Insights, target: 'comment' | 'summary', fileUrl?: FileUrl): string[] {
  const big = target === 'summary'
  const blocks: string[] = []
  if (insights.preview) blocks.push(renderGatePreview(insights.preview, big ? 40_000 : 6_000, big ? 50 : 5))
  if (insights.cost) blocks.push(renderCost(insights.cost, big ? 20_000 : 3_000, big ? 100 : 10))
  if (insights.security) blocks.push(renderSecurity(insights.security, big ? 60_000 : 6_000, fileUrl, big ? 200 : 10))
  return blocks
}
