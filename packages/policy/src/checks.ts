import type { ResourceEntry } from '../../terraform/src/model.js'
import { changeList, diffChangeLists } from '../../github/src/reviewed-plan.js'
import type { GateInput, GateOptionNames, PullRequestRef } from './context.js'
import { fetchGet, SAFETY_GATE_INPUTS } from './context.js'
import { costChange } from './cost.js'
import { sarifFindings, severityRank } from './sarif.js'
import { formatDuration, parseDurationMs } from '../../kit/src/duration.js'
import { clockMinutes, localTime, previousDay, type LocalTime } from './time.js'
import type { CheckName, CheckResult, Day, EnvironmentPolicy, FreezeRule, Severity, WindowRule } from './types.js'

/** Shared, lazily fetched facts (the pull request of the commit is read once for two checks). */
export class GateFacts {
  private pr?: Promise<PullRequestRef | undefined>
  constructor(readonly input: GateInput) {}

  now(): Date {
    return this.input.now ? this.input.now() : new Date()
  }

  /** The caller's names of the options a message tells the user to set. */
  get names(): GateOptionNames {
    return this.input.names ?? SAFETY_GATE_INPUTS
  }

  pullRequest(): Promise<PullRequestRef | undefined> {
    if (!this.input.github) return Promise.resolve(undefined)
    this.pr ??= this.input.github.pullRequestOfCommit(this.input.sha)
    return this.pr
  }
}

/** Whether any rule of this policy reads GitHub (so a token that cannot be used is an error before the rules run). */
export function needsGitHub(policy: EnvironmentPolicy): boolean {
  const a = policy.approvals
  return (
    (a !== undefined && (a['required-reviewers'] !== undefined || a['prevent-self-review'] === true || a['branch-policy'] === true)) ||
    (policy.promotion?.requires?.length ?? 0) > 0 ||
    policy['reviewed-plan']?.required === true ||
    (policy.protected?.['override-label'] !== undefined && ((policy.protected.addresses?.length ?? 0) > 0 || (policy.protected.types?.length ?? 0) > 0))
  )
}

type Check = (policy: EnvironmentPolicy, facts: GateFacts) => Promise<CheckResult> | CheckResult

const destroying = (r: ResourceEntry): boolean => r.mode === 'managed' && (r.kind === 'delete' || r.kind === 'replace')
const describeChange = (r: ResourceEntry): string => `${r.kind} ${r.address}`

/** Glob with `*` (any text, dots included); the whole value must match. */
export function globToRegExp(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`)
}

export const destroyCheck: Check = (policy, { input, names }) => {
  const max = policy.destroy?.max
  if (max === undefined) return { check: 'destroy', status: 'skip', message: 'no destroy limit in the policy' }
  if (!input.plan) return { check: 'destroy', status: 'skip', message: 'no plan given' }
  const hits = input.plan.model.resources.filter(destroying)
  const details = hits.map(describeChange)
  if (hits.length <= max) return { check: 'destroy', status: 'pass', message: `${hits.length} destroy/replace (limit ${max})`, details }
  if (input.forceRecreate) {
    return { check: 'destroy', status: 'warn', message: `${hits.length} destroy/replace over the limit of ${max}, allowed by ${names.forceRecreate}`, details }
  }
  return {
    check: 'destroy',
    status: 'fail',
    message: `${hits.length} destroy/replace, the policy allows ${max} (a replace counts as a destroy); use ${names.forceRecreate} to allow it`,
    details,
  }
}

export const protectedCheck: Check = async (policy, facts) => {
  const p = policy.protected
  const addresses = p?.addresses ?? []
  const types = p?.types ?? []
  if (addresses.length === 0 && types.length === 0) return { check: 'protected', status: 'skip', message: 'no protected resources in the policy' }
  const plan = facts.input.plan
  if (!plan) return { check: 'protected', status: 'skip', message: 'no plan given' }
  const addressRes = addresses.map((a) => [a, globToRegExp(a)] as const)
  const typeRes = types.map((t) => [t, globToRegExp(t)] as const)
  const hits: string[] = []
  for (const r of plan.model.resources.filter(destroying)) {
    const why = addressRes.find(([, re]) => re.test(r.address))?.[0] ?? typeRes.find(([, re]) => re.test(r.type))?.[0]
    if (why) hits.push(`${r.kind} ${r.address} (protected by '${why}')`)
  }
  if (hits.length === 0) return { check: 'protected', status: 'pass', message: 'no protected resource is deleted or replaced' }
  const label = p?.['override-label']
  if (label) {
    const pr = await facts.pullRequest()
    if (pr?.labels.includes(label)) {
      return { check: 'protected', status: 'warn', message: `${hits.length} protected resource(s) deleted or replaced, allowed by label '${label}' on PR #${pr.number}`, details: hits }
    }
    const where = pr ? `PR #${pr.number} does not carry the label '${label}'` : `no pull request was found for commit ${facts.input.sha.slice(0, 12)}, so no '${label}' label`
    return { check: 'protected', status: 'fail', message: `${hits.length} protected resource(s) would be deleted or replaced; ${where}`, details: hits }
  }
  return {
    check: 'protected',
    status: 'fail',
    message: `${hits.length} protected resource(s) would be deleted or replaced; no protected.override-label is set in the policy, so no pull request label can allow it`,
    details: hits,
  }
}

export const ROLLBACK_CONFIRMATION = 'rollback-{env}'

export const confirmationCheck: Check = (policy, { input }) => {
  const rollback = input.operation === 'rollback'
  const template = rollback ? ROLLBACK_CONFIRMATION : policy.confirmation
  if (!template) return { check: 'confirmation', status: 'skip', message: 'no confirmation required' }
  const events = policy['confirmation-events']
  if (!rollback && events && !events.includes(input.event ?? '')) {
    return { check: 'confirmation', status: 'skip', message: `no confirmation required for ${input.event ? `'${input.event}'` : 'these'} runs (confirmation-events: ${events.join(', ')})` }
  }
  const expected = template.replace(/\{env\}/g, input.environment)
  if (input.confirmation === expected) return { check: 'confirmation', status: 'pass', message: 'confirmation matches' }
  return {
    check: 'confirmation',
    status: 'fail',
    message: input.confirmation === '' ? `confirmation missing: type '${expected}'` : `confirmation '${input.confirmation}' does not match: type '${expected}' exactly`,
  }
}

function networkReason(error: unknown, timeoutMs: number): string {
  const e = error as { name?: string; code?: string; cause?: { code?: string; message?: string }; message?: string }
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError' || e?.code === 'ETIMEDOUT') return `no answer within ${formatDuration(timeoutMs)}`
  const code = e?.cause?.code ?? e?.code
  if (code === 'ECONNREFUSED') return 'connection refused'
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found'
  if (code === 'ECONNRESET') return 'connection reset'
  return e?.cause?.message ?? e?.message ?? String(error)
}

export const ticketCheck: Check = async (policy, { input, names }) => {
  const t = policy.ticket
  if (!t || (!t.required && !t.pattern && !t['verify-url'])) return { check: 'ticket', status: 'skip', message: 'no change ticket rule' }
  const ticket = input.changeTicket.trim()
  if (ticket === '') {
    return t.required
      ? { check: 'ticket', status: 'fail', message: `change ticket required: set ${names.changeTicket}` }
      : { check: 'ticket', status: 'pass', message: 'no ticket given (not required)' }
  }
  if (t.pattern && !new RegExp(`^(?:${t.pattern})$`).test(ticket)) {
    return { check: 'ticket', status: 'fail', message: `change ticket '${ticket}' does not match the pattern ${t.pattern}` }
  }
  const template = t['verify-url']
  if (!template) return { check: 'ticket', status: 'pass', message: `ticket ${ticket} has the expected form` }
  const url = template.replace(/\{ticket\}/g, encodeURIComponent(ticket))
  const timeoutMs = (t.timeout ? parseDurationMs(t.timeout) : undefined) ?? 10_000
  try {
    const headers = input.ticketAuthHeader ? { [input.ticketAuthHeader.name]: input.ticketAuthHeader.value } : undefined
    const response = await (input.http ?? fetchGet)(url, { timeoutMs, ...(headers ? { headers } : {}) })
    if (response.status >= 200 && response.status < 300) return { check: 'ticket', status: 'pass', message: `ticket ${ticket} verified (HTTP ${response.status})` }
    const meaning =
      response.status === 404
        ? 'not found'
        : response.status === 401 || response.status === 403
          ? `not readable (${input.ticketAuthHeader ? 'the ticket-auth-header was refused' : 'no ticket-auth-header was given'})`
          : 'not confirmed'
    return { check: 'ticket', status: 'fail', message: `ticket ${ticket} ${meaning}: ${url} answered HTTP ${response.status}` }
  } catch (error) {
    return { check: 'ticket', status: 'fail', message: `ticket ${ticket} could not be verified: ${url} — ${networkReason(error, timeoutMs)}` }
  }
}

const DAY_NAMES: Record<Day, string> = { mon: 'Mon', tue: 'Tue', wed: 'Wed', thu: 'Thu', fri: 'Fri', sat: 'Sat', sun: 'Sun' }
function describeDays(days: Day[]): string {
  return days.map((d) => DAY_NAMES[d]).join(',')
}
/** [start, end) in minutes; end 24:00 = 1440. start after end crosses midnight. */
function span(start?: string, end?: string): { from: number; to: number; overnight: boolean } {
  const from = start ? clockMinutes(start) : 0
  const to = end ? clockMinutes(end) : 1440
  return { from, to, overnight: from > to }
}

/**
 * Whether a window or freeze that applies on some days is open now. A range that crosses midnight
 * (22:00-02:00) belongs to the day it starts on: Mon 22:00-02:00 is open Mon 22:00 to Tue 01:59.
 * `appliesOn` says whether the rule applies on a local day; it is asked about today and, for the
 * hours after midnight of an overnight range, about yesterday.
 * Returns the day the open range started on, or undefined.
 */
export function openRange(local: LocalTime, start: string | undefined, end: string | undefined, appliesOn: (day: LocalTime) => boolean): LocalTime | undefined {
  const { from, to, overnight } = span(start, end)
  if (!overnight) return local.minutes >= from && local.minutes < to && appliesOn(local) ? local : undefined
  if (local.minutes >= from && appliesOn(local)) return local
  if (local.minutes < to) {
    const prev = previousDay(local)
    if (appliesOn(prev)) return prev
  }
  return undefined
}

function describeWindow(w: WindowRule): string {
  return `${w.name ? `${w.name}: ` : ''}${describeDays(w.days)} ${w.start ?? '00:00'}-${w.end ?? '24:00'}`
}

export const windowsCheck: Check = (policy, facts) => {
  const windows = policy.windows ?? []
  if (windows.length === 0) return { check: 'windows', status: 'skip', message: 'no deploy windows (any time)' }
  const tz = policy.timezone ?? 'UTC'
  const local = localTime(facts.now(), tz)
  for (const w of windows) {
    const opened = openRange(local, w.start, w.end, (day) => w.days.includes(day.day))
    if (opened) {
      const since = opened === local ? '' : ` (opened ${opened.date})`
      return { check: 'windows', status: 'pass', message: `${local.text} is inside ${describeWindow(w)}${since}` }
    }
  }
  return {
    check: 'windows',
    status: 'fail',
    message: `${local.text} is outside every deploy window`,
    details: windows.map((w) => `allowed: ${describeWindow(w)} (${tz})`),
  }
}

/** Whether a freeze is on: its dates (inclusive, whole local days) and days select the days, its hours [start, end) the time. */
export function activeFreeze(f: FreezeRule, local: LocalTime): boolean {
  const appliesOn = (day: LocalTime): boolean => {
    if (f.from && f.to) {
      const inRange =
        f.from.length === 10
          ? day.date >= f.from && day.date <= f.to
          : f.from <= f.to
            ? day.monthDay >= f.from && day.monthDay <= f.to
            : day.monthDay >= f.from || day.monthDay <= f.to // recurring range across the year end
      if (!inRange) return false
      return !f.days || f.days.includes(day.day)
    }
    return f.days ? f.days.includes(day.day) : false
  }
  return openRange(local, f.start, f.end, appliesOn) !== undefined
}

function describeFreeze(f: FreezeRule): string {
  const when = f.from ? `${f.from}..${f.to}` : ''
  const days = f.days ? describeDays(f.days) : ''
  const hours = f.start || f.end ? `${f.start ?? '00:00'}-${f.end ?? '24:00'}` : ''
  return [when, days, hours].filter(Boolean).join(' ')
}

export const freezesCheck: Check = (policy, facts) => {
  const freezes = policy.freezes ?? []
  if (freezes.length === 0) return { check: 'freezes', status: 'skip', message: 'no freezes' }
  const tz = policy.timezone ?? 'UTC'
  const local = localTime(facts.now(), tz)
  const active = freezes.filter((f) => activeFreeze(f, local))
  if (active.length === 0) return { check: 'freezes', status: 'pass', message: `no freeze at ${local.text}` }
  return {
    check: 'freezes',
    status: 'fail',
    message: `frozen at ${local.text}: ${active.map((f) => f.reason).join('; ')}`,
    details: active.map((f) => `${describeFreeze(f)} — ${f.reason}`),
  }
}

export const approvalsCheck: Check = async (policy, { input }) => {
  const a = policy.approvals
  if (!a || (a['required-reviewers'] === undefined && !a['prevent-self-review'] && !a['branch-policy'])) {
    return { check: 'approvals', status: 'skip', message: 'no approval rules' }
  }
  const onProblem = a['on-unreadable'] ?? 'fail'
  if (!input.github) return { check: 'approvals', status: onProblem, message: 'no GitHub token: the environment protection rules were not read' }
  const env = await input.github.environmentProtection(input.environment)
  if (!env.readable) {
    const message =
      env.status === 404
        ? `GitHub Environment '${input.environment}' was not found (HTTP 404): it does not exist or the token cannot see it`
        : `the token cannot read the protection rules of GitHub Environment '${input.environment}' (HTTP ${env.status}: ${env.message}); grant actions: read`
    return { check: 'approvals', status: onProblem, message }
  }
  const problems: string[] = []
  const facts: string[] = [`${env.requiredReviewers} required reviewer(s)${env.reviewers.length ? `: ${env.reviewers.join(', ')}` : ''}`]
  const min = a['required-reviewers']
  if (min !== undefined && env.requiredReviewers < min) problems.push(`needs at least ${min} required reviewer(s), has ${env.requiredReviewers}`)
  if (a['prevent-self-review'] && !env.preventSelfReview) problems.push('"Prevent self-review" is off')
  facts.push(`prevent self-review ${env.preventSelfReview ? 'on' : 'off'}`)
  if (a['branch-policy'] && env.branchPolicy === 'none') problems.push('no deployment branch policy (any branch can deploy)')
  facts.push(`branch policy: ${env.branchPolicy}`)
  if (problems.length === 0) return { check: 'approvals', status: 'pass', message: `GitHub Environment '${input.environment}': ${facts.join('; ')}` }
  return { check: 'approvals', status: 'fail', message: `GitHub Environment '${input.environment}' is weaker than the policy: ${problems.join('; ')}`, details: facts }
}

export const promotionCheck: Check = async (policy, { input }) => {
  const requires = policy.promotion?.requires ?? []
  if (requires.length === 0) return { check: 'promotion', status: 'skip', message: 'no promotion order' }
  if (input.operation === 'rollback') return { check: 'promotion', status: 'skip', message: 'a rollback restores a deploy this environment already had' }
  if (!input.github) return { check: 'promotion', status: 'fail', message: 'no GitHub token: cannot see earlier deployments' }
  const found: string[] = []
  const missing: string[] = []
  for (const env of requires) {
    const evidence = await input.github.successfulDeployment(env, input.sha)
    if (evidence) found.push(`${env}: ${evidence}`)
    else missing.push(env)
  }
  if (missing.length === 0) return { check: 'promotion', status: 'pass', message: `commit deployed before to ${requires.join(', ')}`, details: found }
  return {
    check: 'promotion',
    status: 'fail',
    message: `commit ${input.sha.slice(0, 12)} was never deployed successfully to ${missing.join(', ')} (required before ${input.environment})`,
    details: found,
  }
}

export const reviewedPlanCheck: Check = async (policy, facts) => {
  const rule = policy['reviewed-plan']
  if (!rule?.required) return { check: 'reviewed-plan', status: 'skip', message: 'reviewed plan not required' }
  const { input } = facts
  if (input.operation === 'rollback') return { check: 'reviewed-plan', status: 'skip', message: "a rollback's plan is approved in the Environment, not on a pull request" }
  const onMissing = rule['on-missing'] ?? 'fail'
  if (!input.plan) return { check: 'reviewed-plan', status: 'fail', message: `no plan given to compare with the reviewed one (set ${facts.names.planJson} or ${facts.names.planFile})` }
  if (!input.github) return { check: 'reviewed-plan', status: onMissing, message: 'no GitHub token: cannot read the reviewed plan' }
  const pr = await facts.pullRequest()
  if (!pr) return { check: 'reviewed-plan', status: onMissing, message: `commit ${input.sha.slice(0, 12)} belongs to no pull request, so no plan was reviewed` }
  const reviewed = await input.github.reviewedPlan(pr, input.environment, input.workingDirectory)
  if (!reviewed.found) return { check: 'reviewed-plan', status: onMissing, message: `PR #${pr.number}: ${reviewed.reason}` }
  const current = input.plan.model.fingerprint
  if (reviewed.fingerprint === current) {
    return { check: 'reviewed-plan', status: 'pass', message: `plan matches the one reviewed on PR #${pr.number} (${current.slice(0, 12)})` }
  }
  const details = [`reviewed on PR #${pr.number}: ${reviewed.fingerprint}`, `about to apply: ${current}`]
  if (reviewed.changes) {
    const diff = diffChangeLists(reviewed.changes, changeList(input.plan.model))
    if (diff.length === 0) details.push('same actions on the same addresses; attribute values differ')
    else details.push(...diff)
    if (reviewed.changesTruncated) details.push('(the reviewed change list was truncated in the comment; the difference may be incomplete)')
  } else {
    details.push('the reviewed comment carries no change list, so only the fingerprints can be compared')
  }
  return {
    check: 'reviewed-plan',
    status: 'fail',
    message: `plan differs from the one reviewed on PR #${pr.number} — re-plan and review it again (${reviewed.commentUrl})`,
    details,
  }
}

export const planAgeCheck: Check = (policy, facts) => {
  const max = policy['plan-age']?.max
  if (!max) return { check: 'plan-age', status: 'skip', message: 'no plan age limit' }
  const plan = facts.input.plan
  if (!plan) return { check: 'plan-age', status: 'skip', message: 'no plan given' }
  const maxMs = parseDurationMs(max) ?? 0
  if (!plan.createdAt) return { check: 'plan-age', status: 'fail', message: 'the plan age is unknown (no timestamp in the plan JSON and no plan file)' }
  const age = facts.now().getTime() - plan.createdAt.getTime()
  const text = `plan made ${formatDuration(age)} ago (${plan.createdAt.toISOString()}, from ${plan.createdFrom ?? 'plan'})`
  if (age <= maxMs) return { check: 'plan-age', status: 'pass', message: `${text}; limit ${max}` }
  return { check: 'plan-age', status: 'fail', message: `${text}, older than the limit of ${max}: plan again` }
}

export const costCheck: Check = (policy, { input }) => {
  const c = policy.cost
  const abs = c?.['max-monthly-increase']
  const pct = c?.['max-percent-increase']
  if (abs === undefined && pct === undefined) return { check: 'cost', status: 'skip', message: 'no cost limit' }
  if (!input.infracost) return { check: 'cost', status: 'warn', message: 'the policy limits cost but no infracost-json was given: cost not checked' }
  const change = costChange(input.infracost.diff)
  if (!change.readable) {
    return { check: 'cost', status: 'fail', message: `infracost-json '${input.infracost.path}' cannot be read: ${change.problem}; give the output of \`infracost diff --format json\`` }
  }
  const currency = c?.currency ?? 'USD'
  if (change.currency !== currency) {
    return {
      check: 'cost',
      status: 'fail',
      message: `infracost-json '${input.infracost.path}' is in ${change.currency} but the policy limits are in ${currency}: run infracost with currency ${currency} or set cost.currency`,
    }
  }
  const money = (n: number): string => `${n < 0 ? '-' : '+'}${Math.abs(n).toFixed(2)} ${change.currency}`
  const pctText = change.percent === undefined ? 'from 0' : `${change.percent >= 0 ? '+' : ''}${change.percent.toFixed(1)}%`
  const text = `monthly cost ${money(change.diff)} (${pctText}, was ${change.past.toFixed(2)})`
  const problems: string[] = []
  if (abs !== undefined && change.diff > abs) problems.push(`over the limit of +${abs} ${change.currency}/month`)
  if (pct !== undefined && change.diff > 0 && (change.percent === undefined || change.percent > pct)) problems.push(`over the limit of +${pct}%`)
  if (problems.length === 0) return { check: 'cost', status: 'pass', message: text }
  return { check: 'cost', status: 'fail', message: `${text}: ${problems.join(' and ')}` }
}

export const securityCheck: Check = (policy, { input }) => {
  const s = policy.security
  if (!s) return { check: 'security', status: 'skip', message: 'no security rule' }
  const threshold: Severity = s['fail-on'] ?? 'high'
  if (input.sarif.length === 0) {
    return s.required
      ? { check: 'security', status: 'fail', message: 'the policy requires a security scan but no sarif file was given' }
      : { check: 'security', status: 'skip', message: 'no sarif file given' }
  }
  const all = input.sarif.flatMap((f) => sarifFindings(f.log))
  const blocking = all
    .filter((f) => severityRank(f.severity) >= severityRank(threshold))
    .sort((a, b) => severityRank(b.severity) - severityRank(a.severity))
  const details = blocking.map((f) => `${f.severity.toUpperCase()} ${f.rule} ${f.file}${f.line !== undefined ? `:${f.line}` : ''} — ${f.message} (${f.tool})`)
  if (blocking.length === 0) {
    return { check: 'security', status: 'pass', message: `${all.length} finding(s), none at or above ${threshold}` }
  }
  return { check: 'security', status: 'fail', message: `${blocking.length} security finding(s) at or above ${threshold}`, details }
}

export const CHECKS: [CheckName, Check][] = [
  ['destroy', destroyCheck],
  ['protected', protectedCheck],
  ['confirmation', confirmationCheck],
  ['ticket', ticketCheck],
  ['windows', windowsCheck],
  ['freezes', freezesCheck],
  ['approvals', approvalsCheck],
  ['promotion', promotionCheck],
  ['reviewed-plan', reviewedPlanCheck],
  ['plan-age', planAgeCheck],
  ['cost', costCheck],
  ['security', securityCheck],
]
