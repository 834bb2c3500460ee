import { createHash } from 'node:crypto'
import { escapeText, inlineCode } from '@tfpipe/markdown/escape.js'
import type { DriftItem, StackResult } from './types.js'

/** Identity marker, first line of every drift issue body (env and dir URI-encoded, as in plan-and-comment). */
export function issueMarker(environment: string, dir: string): string {
  return `<!-- tfpipe:drift-check env=${encodeURIComponent(environment)} dir=${encodeURIComponent(dir)} -->`
}

const MARKER_RE = /<!-- tfpipe:drift-check env=(\S*) dir=(\S*) -->/

export function parseIssueMarker(body: string): { environment: string; dir: string } | undefined {
  const m = MARKER_RE.exec(body)
  if (!m) return undefined
  try {
    return { environment: decodeURIComponent(m[1]!), dir: decodeURIComponent(m[2]!) }
  } catch {
    return undefined
  }
}

/** What a run remembers in the issue body between runs (second hidden marker). */
export interface DriftState {
  /** When the current drift episode started (ISO time of the run that first saw it). */
  since: string
  /** Hash of the sorted drift/pending address set; a change triggers a comment. */
  set: string
  /** The set itself (when it fits), to say in the comment what appeared and what went away. */
  items?: string[]
}

const STATE_RE = /<!-- tfpipe:drift-state ([A-Za-z0-9_-]+) -->/

export function formatState(state: DriftState): string {
  return `<!-- tfpipe:drift-state ${Buffer.from(JSON.stringify(state), 'utf8').toString('base64url')} -->`
}

export function parseState(body: string): DriftState | undefined {
  const m = STATE_RE.exec(body)
  if (!m) return undefined
  try {
    const v = JSON.parse(Buffer.from(m[1]!, 'base64url').toString('utf8')) as Partial<DriftState>
    if (typeof v.since !== 'string' || typeof v.set !== 'string') return undefined
    const state: DriftState = { since: v.since, set: v.set }
    if (Array.isArray(v.items) && v.items.every((i) => typeof i === 'string')) state.items = v.items
    return state
  } catch {
    return undefined
  }
}

/** `drift:<address>` / `pending:<address>` keys of a result, sorted. */
export function setItems(result: Pick<StackResult, 'drift' | 'pending'>): string[] {
  return [...result.drift.map((d) => `drift:${d.address}`), ...result.pending.map((p) => `pending:${p.address}`)].sort()
}

export function setHash(items: string[]): string {
  return createHash('sha256').update(items.join('\n')).digest('hex').slice(0, 32)
}

const MAX_ITEMS_IN_STATE = 300
const BODY_BUDGET = 60_000

export function newState(result: Pick<StackResult, 'drift' | 'pending'>, since: string): DriftState {
  const items = setItems(result)
  const state: DriftState = { since, set: setHash(items) }
  if (items.length <= MAX_ITEMS_IN_STATE) state.items = items
  return state
}

export function issueTitle(environment: string, dir: string): string {
  return `Drift detected: ${dir}${environment ? ` (${environment})` : ''}`
}

const KIND_LABEL: Record<string, string> = {
  create: 'create',
  update: 'update',
  delete: 'delete',
  replace: 'replace',
  read: 'read',
  forget: 'forget',
  'no-op': 'no-op',
}

function driftKind(kind: string): string {
  // resource_drift: "delete" means the object is gone outside Terraform, "update" that it was modified.
  if (kind === 'delete') return 'deleted outside Terraform'
  if (kind === 'update') return 'modified outside Terraform'
  return KIND_LABEL[kind] ?? kind
}

function table(items: DriftItem[], describe: (k: string) => string, budget: number): { text: string; shown: number } {
  const lines = ['| Resource | Change | Attributes |', '| --- | --- | --- |']
  let size = lines.join('\n').length
  let shown = 0
  for (const item of items) {
    const attrs = item.attributes.length
      ? item.attributes
          .slice(0, 12)
          .map((a) => inlineCode(a, 80))
          .join(', ') + (item.attributes.length > 12 ? ', …' : '')
      : '—'
    const line = `| ${inlineCode(item.address, 200)} | ${describe(item.kind)} | ${attrs} |`
    if (size + line.length + 1 > budget) break
    lines.push(line)
    size += line.length + 1
    shown++
  }
  if (shown < items.length) lines.push('', `_…and ${items.length - shown} more (see the run)._`)
  return { text: lines.join('\n'), shown }
}

export interface BodyContext {
  environment: string
  mode: string
  checkedAt: string
  runUrl: string
}

/** The issue body: identity marker, state marker, then what drifted, since when, last check, run link. */
export function renderIssueBody(result: StackResult, state: DriftState, ctx: BodyContext): string {
  const head = [
    issueMarker(ctx.environment, result.dir),
    formatState(state),
    `## Drift in ${inlineCode(result.dir)}${ctx.environment ? ` (${escapeText(ctx.environment)})` : ''}`,
    '',
    `A scheduled \`plan -detailed-exitcode\` (${escapeText(ctx.mode)}) found that the real infrastructure no longer matches the code.`,
    '',
    `- **Drifting since:** ${state.since}`,
    `- **Last checked:** ${ctx.checkedAt}${ctx.runUrl ? ` ([run](${ctx.runUrl}))` : ''}`,
    `- **Changed outside Terraform:** ${result.drift.length}`,
    `- **Would change on apply:** ${result.pending.length}`,
    '',
  ]
  const parts = [head.join('\n')]
  let remaining = BODY_BUDGET - parts[0]!.length - 600
  if (result.drift.length) {
    const t = table(result.drift, driftKind, Math.max(1000, Math.floor(remaining / (result.pending.length ? 2 : 1))))
    parts.push(`### Changed outside Terraform (${result.drift.length})\n\n${t.text}\n`)
    remaining -= t.text.length
  }
  if (result.pending.length) {
    const t = table(result.pending, (k) => KIND_LABEL[k] ?? k, Math.max(1000, remaining))
    parts.push(`### Would change on apply (${result.pending.length})\n\n${t.text}\n`)
  }
  parts.push(
    '---',
    '_Kept up to date by the drift-check action: this issue is updated on every run, commented on when the set of drifted resources changes, and closed when the drift is gone. Values are not shown; run `terraform plan` to see them._',
  )
  return parts.join('\n')
}

/** Comment when the set of drifted resources changes: what appeared, what went away. */
export function renderChangedComment(previous: DriftState | undefined, result: StackResult, ctx: BodyContext): string {
  const now = setItems(result)
  const lines = [
    `**The drift in ${inlineCode(result.dir)} changed** (checked ${ctx.checkedAt}${ctx.runUrl ? `, [run](${ctx.runUrl})` : ''}).`,
    '',
  ]
  const render = (key: string): string => {
    const [kind, ...rest] = key.split(':')
    return `- ${inlineCode(rest.join(':'), 200)} (${kind === 'drift' ? 'changed outside Terraform' : 'would change on apply'})`
  }
  if (previous?.items) {
    const before = new Set(previous.items)
    const after = new Set(now)
    const added = now.filter((k) => !before.has(k))
    const gone = previous.items.filter((k) => !after.has(k))
    if (added.length) lines.push(`New (${added.length}):`, ...added.slice(0, 100).map(render), '')
    if (gone.length) lines.push(`No longer drifting (${gone.length}):`, ...gone.slice(0, 100).map(render), '')
  } else {
    lines.push(`Now (${now.length}):`, ...now.slice(0, 100).map(render), '')
  }
  return lines.join('\n').trimEnd()
}

export function renderResolvedComment(dir: string, ctx: BodyContext): string {
  return `**No drift in ${inlineCode(dir)} any more** (checked ${ctx.checkedAt}${ctx.runUrl ? `, [run](${ctx.runUrl})` : ''}). Closing this issue; it is reopened if drift returns.`
}

/** The body of a closed issue: the marker and last state stay, the text says it is resolved. */
export function renderResolvedBody(previousBody: string, dir: string, ctx: BodyContext): string {
  const state = parseState(previousBody)
  return [
    issueMarker(ctx.environment, dir),
    ...(state ? [formatState(state)] : []),
    `## Drift in ${inlineCode(dir)}${ctx.environment ? ` (${escapeText(ctx.environment)})` : ''}: resolved`,
    '',
    `- **Drift was seen since:** ${state?.since ?? 'unknown'}`,
    `- **Resolved at:** ${ctx.checkedAt}${ctx.runUrl ? ` ([run](${ctx.runUrl}))` : ''}`,
    '',
    '_Kept up to date by the drift-check action; reopened if drift returns._',
  ].join('\n')
}
