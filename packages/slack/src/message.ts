import type { Details, Issue, LockReport, StackReport } from './details-model.js'
import { formatDuration } from '@tfpipe/kit/duration.js'
import { EVENT_STYLES, mentionsFor, type SlackEvent } from './events.js'
import { LIMITS, type Block, type ButtonElement, type SlackMessage, type TextObject } from './limits.js'
import { code, cutMrkdwn, fitEscaped, fitLines, link, plainText, safeUrl, truncate } from './mrkdwn.js'

/** What the run tells about itself (from the runner's environment, or CLI flags). */
export interface RunInfo {
  /** owner/repo */
  repository?: string
  serverUrl?: string
  runUrl?: string
  runId?: string
  runAttempt?: string
  workflow?: string
  actor?: string
  sha?: string
  prNumber?: number
  prUrl?: string
}

export interface MessageInput {
  event: SlackEvent
  environment: string
  run: RunInfo
  details: Details
  /** Already validated mentions (parseMention); used only for events that need a human. */
  mention?: string[]
}

const mrkdwn = (text: string): TextObject => ({ type: 'mrkdwn', text })
const plain = (text: string, max: number): TextObject => ({
  type: 'plain_text',
  text: truncate(plainText(text) || '-', max),
  emoji: true,
})
const section = (text: string): Block => ({ type: 'section', text: mrkdwn(cutMrkdwn(text, LIMITS.sectionText)) })

/** Lines under a bold title, fitted into one section with "…and N more". */
function listSection(title: string, lines: string[], noun: string): Block {
  const head = `*${title}*`
  return section(`${head}\n${fitLines(lines, LIMITS.sectionText - head.length - 1, noun)}`)
}

function issueLine(issue: Issue): string {
  const check = issue.check ? `*${fitEscaped(issue.check, 80)}*: ` : ''
  return `• ${issue.overridden ? '_(overridden)_ ' : ''}${check}${fitEscaped(issue.message || '(no message)', 600)}`
}

function lockLine(lock: LockReport): string {
  const parts = [`• ${code(lock.path ?? lock.id ?? 'unknown lock', 200)}`]
  if (lock.who) parts.push(`held by ${fitEscaped(lock.who, 120)}`)
  if (lock.operation) parts.push(`for ${fitEscaped(lock.operation, 60)}`)
  if (lock.created) parts.push(`since ${fitEscaped(lock.created, 60)}`)
  if (lock.age) parts.push(`(${fitEscaped(lock.age, 40)})`)
  if (lock.id && lock.path) parts.push(`ID ${code(lock.id, 80)}`)
  return parts.join(' ')
}

function stackSection(stack: StackReport, run: RunInfo): Block {
  const counts: string[] = []
  const failed = stack.status === 'error' || Boolean(stack.error)
  if (stack.drift !== undefined && (stack.drift > 0 || !failed)) counts.push(`${stack.drift} drifted`)
  if (stack.pending !== undefined && (stack.pending > 0 || !failed)) counts.push(`${stack.pending} pending`)
  if (stack.status && !/^(drifted|clean|ok|changes|pending|no-?changes)$/i.test(stack.status))
    counts.push(fitEscaped(stack.status, 40))
  const issueUrl =
    safeUrl(stack.issueUrl) ??
    (stack.issueNumber && repoUrl(run) ? `${repoUrl(run)}/issues/${stack.issueNumber}` : undefined)
  if (issueUrl) counts.push(link(issueUrl, stack.issueNumber ? `issue #${stack.issueNumber}` : 'issue'))
  const head = `*${code(stack.directory, 200)}*${counts.length ? ` — ${counts.join(' · ')}` : ''}`
  const lines = [
    ...(stack.error ? [`:x: ${fitEscaped(stack.error, 500)}`] : []),
    ...stack.driftAddresses.map((a) => `• :warning: ${code(a, 250)}`),
    ...stack.pendingAddresses.map((a) => `• :pencil2: ${code(a, 250)}`),
  ]
  if (lines.length === 0) return section(head)
  return section(`${head}\n${fitLines(lines, LIMITS.sectionText - head.length - 1, 'resources')}`)
}

function errorSection(error: string): Block {
  // A code block: escaped text, no way to close it early.
  const body = fitEscaped(error.replace(/```/g, "'''"), 2000)
  return section(`*Error*\n\`\`\`${body}\`\`\``)
}

function countsLine(d: Details, label: string): string | undefined {
  const c = d.counts
  if (!c) return undefined
  const parts = [
    `:heavy_plus_sign: *${c.add}* to add`,
    `:pencil2: *${c.change}* to change`,
    `:heavy_minus_sign: *${c.destroy}* to destroy`,
    `:recycle: *${c.replace}* to replace`,
  ]
  if (c.import) parts.push(`*${c.import}* to import`)
  if (c.move) parts.push(`*${c.move}* moved`)
  if (c.forget) parts.push(`*${c.forget}* to forget`)
  if (c.drift) parts.push(`*${c.drift}* drifted`)
  return `*${label}:* ${parts.join(' · ')}`
}

function sum(values: (number | undefined)[]): number | undefined {
  const defined = values.filter((v): v is number => v !== undefined)
  return defined.length ? defined.reduce((a, b) => a + b, 0) : undefined
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`
}

function repoUrl(run: RunInfo): string | undefined {
  return run.repository && run.serverUrl ? `${run.serverUrl.replace(/\/$/, '')}/${run.repository}` : undefined
}

function prUrl(run: RunInfo, d: Details): { url?: string; number?: number } {
  const number = d.prNumber ?? run.prNumber
  const url =
    safeUrl(d.prUrl) ?? safeUrl(run.prUrl) ?? (number && repoUrl(run) ? `${repoUrl(run)}/pull/${number}` : undefined)
  return { url, number: number ?? (url ? Number(/\/pull\/(\d+)/.exec(url)?.[1]) || undefined : undefined) }
}

/** The Block Kit message for one event. Always within Slack's limits (see validateBlocks). */
/** How the Verification field reads; a skip is said plainly, it is what the reviewers must notice. */
const VERIFICATION_TEXT: Record<string, string> = {
  passed: ':white_check_mark: passed',
  failed: ':x: failed',
  skipped: ':warning: skipped (skip-verify)',
}

export function buildMessage(input: MessageInput): SlackMessage {
  const { event, run, details: d } = input
  const style = EVENT_STYLES[event]
  const envRaw = input.environment.replace(/\s+/g, ' ').trim()
  const env = envRaw ? `*${fitEscaped(envRaw, 100)}*` : 'the environment'
  const actor = d.actor ?? run.actor
  const sha = d.sha ?? run.sha
  const shortSha = sha ? sha.slice(0, 7) : undefined
  const commitUrl = sha && repoUrl(run) ? `${repoUrl(run)}/commit/${encodeURIComponent(sha)}` : undefined
  const what = d.tag ? code(d.tag, 120) : shortSha ? code(shortSha) : 'the change'
  const pr = prUrl(run, d)
  const mention = input.mention?.length && mentionsFor(event) ? input.mention.join(' ') : ''

  const rollbackTarget = d.restoredVersionId
    ? ` to version ${code(d.restoredVersionId, 120)}${d.previousTag ? ` (deploy ${code(d.previousTag, 120)})` : ''}`
    : d.previousTag
      ? ` to deploy ${code(d.previousTag, 120)}`
      : ''

  // 1. The sentence that says what happened.
  const lines: string[] = []
  switch (event) {
    case 'plan-ready':
      lines.push(
        `A plan for ${env} is ready for review${pr.url ? ` in ${link(pr.url, pr.number ? `PR #${pr.number}` : 'the pull request')}` : ''}.`,
      )
      if (d.hasChanges === false) lines.push('The plan shows no changes.')
      break
    case 'approval-required':
      lines.push(`A deploy of ${what} to ${env} is waiting for approval.`)
      lines.push('Required reviewers approve it on the run page: *Review deployments*.')
      break
    case 'deploy-started':
      lines.push(`${actor ? fitEscaped(actor, 80) : 'Someone'} started deploying ${what} to ${env}.`)
      break
    case 'deploy-succeeded':
      lines.push(`${what} is deployed to ${env}.`)
      break
    case 'verification-failed':
      lines.push(
        `${what} was applied to ${env}, but its verification failed: the Deployment is marked failed and it is not promoted.`,
      )
      lines.push(
        d.autoRollback && d.previousTag
          ? `Rolling back automatically to the last verified deploy ${code(d.previousTag, 120)}.`
          : d.autoRollback
            ? 'There is no earlier verified deploy to roll back to: the environment needs attention.'
            : `No automatic rollback for ${env}${d.previousTag ? `; the last verified deploy is ${code(d.previousTag, 120)}` : ''}.`,
      )
      break
    case 'deploy-failed':
      lines.push(`The deploy of ${what} to ${env} failed.`)
      if (d.previousTag) lines.push(`The last good deploy is ${code(d.previousTag, 120)}.`)
      break
    case 'rollback-started':
      lines.push(`Rolling back the state of ${env}${rollbackTarget}.`)
      break
    case 'rollback-succeeded':
      lines.push(`The state of ${env} is rolled back${rollbackTarget}.`)
      if (d.previousVersionId) lines.push(`To undo, roll back to ${code(d.previousVersionId, 120)}.`)
      break
    case 'rollback-failed':
      lines.push(`The state rollback of ${env} failed; the state may need attention.`)
      break
    case 'drift-detected': {
      const drift = d.driftCount ?? sum(d.stacks.map((s) => s.drift)) ?? 0
      const pending = d.pendingCount ?? sum(d.stacks.map((s) => s.pending)) ?? 0
      const across = d.stacks.length ? ` across ${plural(d.stacks.length, 'stack')}` : ''
      lines.push(
        `${envRaw ? `In ${env}, ` : ''}${plural(drift, 'resource')} changed outside Terraform and ${plural(pending, 'resource')} would change on apply${across}.`,
      )
      const broken = [
        d.failedChecks ? `${plural(d.failedChecks, 'check')} failed` : '',
        d.missingChecks ? `${plural(d.missingChecks, 'check')} produced no result` : '',
      ].filter(Boolean)
      if (broken.length) lines.push(`:x: ${broken.join(' and ')}: see the run.`)
      break
    }
    case 'drift-resolved':
      lines.push(
        `${envRaw ? env : 'Every stack checked'} matches its Terraform configuration again: no drift and no pending changes.`,
      )
      break
    case 'stale-lock': {
      const n = d.staleLocks.length
      lines.push(
        `${n ? plural(n, 'state lock') : 'A state lock'}${envRaw ? ` in ${env}` : ''} ${n === 1 || n === 0 ? 'is' : 'are'} older than allowed.`,
      )
      lines.push('Check that no run still holds it before `terraform force-unlock`.')
      break
    }
    case 'gate-overridden':
      lines.push(
        `The safety gate for ${env} was overridden${(d.overriddenBy ?? actor) ? ` by ${fitEscaped((d.overriddenBy ?? actor)!, 80)}` : ''}.`,
      )
      lines.push(
        (d.overrideReason ?? d.reason)
          ? `*Reason:* ${fitEscaped((d.overrideReason ?? d.reason)!, 1500)}`
          : '_No reason was given._',
      )
      break
  }
  if (d.reason && event !== 'gate-overridden') lines.push(`*Reason:* ${fitEscaped(d.reason, 1500)}`)
  const summary = `${mention ? `${mention} ` : ''}${lines.join('\n')}`

  // 2. Fields.
  const fields: TextObject[] = []
  const field = (name: string, value: string | undefined): void => {
    if (value && fields.length < LIMITS.fields)
      fields.push(mrkdwn(`*${name}*\n${cutMrkdwn(value, LIMITS.fieldText - name.length - 3)}`))
  }
  field('Environment', envRaw ? fitEscaped(envRaw, 200) : undefined)
  field('Actor', actor ? fitEscaped(actor, 200) : undefined)
  field('Duration', d.durationSeconds !== undefined ? formatDuration(d.durationSeconds * 1000) : undefined)
  field('Commit', shortSha ? link(commitUrl, shortSha) : undefined)
  field('Tag', d.tag ? (safeUrl(d.tagUrl) ? link(d.tagUrl, d.tag, 300) : code(d.tag, 300)) : undefined)
  field(
    'Verification',
    d.verification && d.verification !== 'none'
      ? (VERIFICATION_TEXT[d.verification] ?? fitEscaped(d.verification, 40))
      : undefined,
  )
  field(
    'Previous tag',
    d.previousTag && event !== 'deploy-failed' && event !== 'verification-failed' && !event.startsWith('rollback')
      ? code(d.previousTag, 300)
      : undefined,
  )
  field('Deployment', d.deploymentId ? fitEscaped(d.deploymentId, 100) : undefined)
  field('Restored version', d.restoredVersionId ? code(d.restoredVersionId, 300) : undefined)
  field(
    'Previous version',
    d.previousVersionId && !event.startsWith('rollback-succeeded') ? code(d.previousVersionId, 300) : undefined,
  )
  field('Serial', d.serial ? fitEscaped(d.serial, 40) : undefined)
  field('Fingerprint', d.fingerprint ? code(d.fingerprint.slice(0, 12), 20) : undefined)

  // 3. Event-specific sections.
  const extra: Block[] = []
  const counts = countsLine(d, event === 'plan-ready' || event === 'approval-required' ? 'Plan' : 'Resources')
  if (counts && !event.startsWith('drift') && event !== 'stale-lock') extra.push(section(counts))
  if (d.error && (event === 'deploy-failed' || event === 'rollback-failed' || event === 'verification-failed'))
    extra.push(errorSection(d.error))
  if (d.violations.length) {
    const title = event === 'gate-overridden' ? 'Overridden violations' : 'Safety gate violations'
    extra.push(listSection(`${title} (${d.violations.length})`, d.violations.map(issueLine), 'violations'))
  }
  if (d.warnings.length && event !== 'drift-resolved') {
    extra.push(listSection(`Warnings (${d.warnings.length})`, d.warnings.map(issueLine), 'warnings'))
  }
  if (d.diff && event.startsWith('rollback')) {
    const x = d.diff
    const head = `State diff: +${x.addedCount} added · -${x.removedCount} removed · ~${x.changedCount} changed`
    const diffLines = [
      ...x.added.map((a) => `• + ${code(a, 250)}`),
      ...x.removed.map((a) => `• − ${code(a, 250)}`),
      ...x.changed.map((a) => `• ~ ${code(a, 250)}`),
    ]
    extra.push(diffLines.length ? listSection(head, diffLines, 'resources') : section(`*${head}*`))
  }
  if (event === 'drift-detected' || event === 'drift-resolved') {
    const shown =
      event === 'drift-resolved'
        ? []
        : d.stacks.filter(
            (s) =>
              s.drift ||
              s.pending ||
              s.driftAddresses.length ||
              s.pendingAddresses.length ||
              s.error ||
              s.status === 'error',
          )
    const MAX_STACKS = 10
    for (const s of shown.slice(0, MAX_STACKS)) extra.push(stackSection(s, run))
    if (shown.length > MAX_STACKS) {
      const rest = shown
        .slice(MAX_STACKS)
        .map((s) => `• ${code(s.directory, 200)} — ${s.drift ?? 0} drifted · ${s.pending ?? 0} pending`)
      extra.push(listSection(`${rest.length} more stacks`, rest, 'stacks'))
    }
  }
  if (d.staleLocks.length)
    extra.push(listSection(`Stale locks (${d.staleLocks.length})`, d.staleLocks.map(lockLine), 'locks'))

  // 4. Buttons and context.
  const buttons: ButtonElement[] = []
  const button = (id: string, text: string, url: string | undefined, style?: 'primary' | 'danger'): void => {
    const safe = safeUrl(url, LIMITS.buttonUrl)
    if (!safe) return
    buttons.push({
      type: 'button',
      action_id: id,
      text: plain(text, LIMITS.buttonText),
      url: safe,
      ...(style ? { style } : {}),
    })
  }
  if (event === 'approval-required') button('review-deployments', 'Review deployments', run.runUrl, 'primary')
  button('open-run', 'View run', run.runUrl, style.severity === 'failure' ? 'danger' : undefined)
  button('pull-request', pr.number ? `Pull request #${pr.number}` : 'Pull request', pr.url)
  button('plan-comment', 'Plan comment', d.commentUrl)
  if (d.tag) button('tag', `Tag ${d.tag}`, d.tagUrl)

  const context: TextObject[] = []
  if (run.repository) context.push(mrkdwn(link(repoUrl(run), run.repository, 200)))
  if (run.workflow) context.push(mrkdwn(`workflow ${fitEscaped(run.workflow, 200)}`))
  if (run.runId) {
    const attempt = run.runAttempt && run.runAttempt !== '1' ? ` (attempt ${fitEscaped(run.runAttempt, 10)})` : ''
    context.push(mrkdwn(`${link(run.runUrl, `run ${run.runId}`, 60)}${attempt}`))
  }
  context.push(mrkdwn(`event ${code(event)}`))

  // 5. Assemble within the block budget.
  const blocks: Block[] = [
    { type: 'header', text: plain(`${style.icon} ${style.title}${envRaw ? `: ${envRaw}` : ''}`, LIMITS.headerText) },
  ]
  blocks.push(section(summary))
  if (fields.length) blocks.push({ type: 'section', fields })
  const tail: Block[] = []
  if (buttons.length) tail.push({ type: 'actions', elements: buttons.slice(0, LIMITS.actionsElements) })
  tail.push({ type: 'context', elements: context.slice(0, LIMITS.contextElements) })
  const room = LIMITS.blocks - blocks.length - tail.length
  if (extra.length > room) {
    const dropped = extra.length - room + 1
    blocks.push(...extra.slice(0, room - 1), section(`…and ${dropped} more sections (see the run).`))
  } else blocks.push(...extra)
  blocks.push(...tail)

  const fallback = `${mention ? `${mention} ` : ''}${style.title}${envRaw ? `: ${fitEscaped(envRaw, 100)}` : ''}${run.repository ? ` (${fitEscaped(run.repository, 200)})` : ''}`
  return { text: cutMrkdwn(fallback, 3000), blocks }
}
