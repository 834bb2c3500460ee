/** The rules on the plan itself: destroys, protected resources, plan age, cost and security findings. */
import type { ResourceEntry } from '@tfpipe/terraform/model.js'
import { formatDuration, parseDurationMs } from '@tfpipe/kit/duration.js'
import { costChange } from './cost.js'
import { sarifFindings, severityRank } from './sarif.js'
import type { Check } from './gate-facts.js'
import type { Severity } from './types.js'

const destroying = (r: ResourceEntry): boolean => r.mode === 'managed' && (r.kind === 'delete' || r.kind === 'replace')
const describeChange = (r: ResourceEntry): string => `${r.kind} ${r.address}`

/** Glob with `*` (any text, dots included); the whole value must match. */
export function globToRegExp(pattern: string): RegExp {
  return new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  )
}

export const destroyCheck: Check = (policy, { input, names }) => {
  const max = policy.destroy?.max
  if (max === undefined) return { check: 'destroy', status: 'skip', message: 'no destroy limit in the policy' }
  if (!input.plan) return { check: 'destroy', status: 'skip', message: 'no plan given' }
  const hits = input.plan.model.resources.filter(destroying)
  const details = hits.map(describeChange)
  if (hits.length <= max)
    return { check: 'destroy', status: 'pass', message: `${hits.length} destroy/replace (limit ${max})`, details }
  if (input.forceRecreate) {
    return {
      check: 'destroy',
      status: 'warn',
      message: `${hits.length} destroy/replace over the limit of ${max}, allowed by ${names.forceRecreate}`,
      details,
    }
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
  if (addresses.length === 0 && types.length === 0)
    return { check: 'protected', status: 'skip', message: 'no protected resources in the policy' }
  const plan = facts.input.plan
  if (!plan) return { check: 'protected', status: 'skip', message: 'no plan given' }
  const addressRes = addresses.map((a) => [a, globToRegExp(a)] as const)
  const typeRes = types.map((t) => [t, globToRegExp(t)] as const)
  const hits: string[] = []
  for (const r of plan.model.resources.filter(destroying)) {
    const why = addressRes.find(([, re]) => re.test(r.address))?.[0] ?? typeRes.find(([, re]) => re.test(r.type))?.[0]
    if (why) hits.push(`${r.kind} ${r.address} (protected by '${why}')`)
  }
  if (hits.length === 0)
    return { check: 'protected', status: 'pass', message: 'no protected resource is deleted or replaced' }
  const label = p?.['override-label']
  if (label) {
    const pr = await facts.pullRequest()
    if (pr?.labels.includes(label)) {
      return {
        check: 'protected',
        status: 'warn',
        message: `${hits.length} protected resource(s) deleted or replaced, allowed by label '${label}' on PR #${pr.number}`,
        details: hits,
      }
    }
    const where = pr
      ? `PR #${pr.number} does not carry the label '${label}'`
      : `no pull request was found for commit ${facts.input.sha.slice(0, 12)}, so no '${label}' label`
    return {
      check: 'protected',
      status: 'fail',
      message: `${hits.length} protected resource(s) would be deleted or replaced; ${where}`,
      details: hits,
    }
  }
  return {
    check: 'protected',
    status: 'fail',
    message: `${hits.length} protected resource(s) would be deleted or replaced; no protected.override-label is set in the policy, so no pull request label can allow it`,
    details: hits,
  }
}

export const planAgeCheck: Check = (policy, facts) => {
  const max = policy['plan-age']?.max
  if (!max) return { check: 'plan-age', status: 'skip', message: 'no plan age limit' }
  const plan = facts.input.plan
  if (!plan) return { check: 'plan-age', status: 'skip', message: 'no plan given' }
  const maxMs = parseDurationMs(max) ?? 0
  if (!plan.createdAt)
    return {
      check: 'plan-age',
      status: 'fail',
      message: 'the plan age is unknown (no timestamp in the plan JSON and no plan file)',
    }
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
  if (!input.infracost)
    return {
      check: 'cost',
      status: 'warn',
      message: 'the policy limits cost but no infracost-json was given: cost not checked',
    }
  const change = costChange(input.infracost.diff)
  if (!change.readable) {
    return {
      check: 'cost',
      status: 'fail',
      message: `infracost-json '${input.infracost.path}' cannot be read: ${change.problem}; give the output of \`infracost diff --format json\``,
    }
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
  const pctText =
    change.percent === undefined ? 'from 0' : `${change.percent >= 0 ? '+' : ''}${change.percent.toFixed(1)}%`
  const text = `monthly cost ${money(change.diff)} (${pctText}, was ${change.past.toFixed(2)})`
  const problems: string[] = []
  if (abs !== undefined && change.diff > abs) problems.push(`over the limit of +${abs} ${change.currency}/month`)
  if (pct !== undefined && change.diff > 0 && (change.percent === undefined || change.percent > pct))
    problems.push(`over the limit of +${pct}%`)
  if (problems.length === 0) return { check: 'cost', status: 'pass', message: text }
  return { check: 'cost', status: 'fail', message: `${text}: ${problems.join(' and ')}` }
}

export const securityCheck: Check = (policy, { input }) => {
  const s = policy.security
  if (!s) return { check: 'security', status: 'skip', message: 'no security rule' }
  const threshold: Severity = s['fail-on'] ?? 'high'
  if (input.sarif.length === 0) {
    return s.required
      ? {
          check: 'security',
          status: 'fail',
          message: 'the policy requires a security scan but no sarif file was given',
        }
      : { check: 'security', status: 'skip', message: 'no sarif file given' }
  }
  const all = input.sarif.flatMap((f) => sarifFindings(f.log))
  const blocking = all
    .filter((f) => severityRank(f.severity) >= severityRank(threshold))
    .sort((a, b) => severityRank(b.severity) - severityRank(a.severity))
  const details = blocking.map(
    (f) =>
      `${f.severity.toUpperCase()} ${f.rule} ${f.file}${f.line !== undefined ? `:${f.line}` : ''} — ${f.message} (${f.tool})`,
  )
  if (blocking.length === 0) {
    return { check: 'security', status: 'pass', message: `${all.length} finding(s), none at or above ${threshold}` }
  }
  return {
    check: 'security',
    status: 'fail',
    message: `${blocking.length} security finding(s) at or above ${threshold}`,
    details,
  }
}
