import type { JsonValue } from '../../terraform/src/plan-json.js'
import type { ChangeKind, OutputEntry, PlanModel, ResourceEntry } from '../../terraform/src/model.js'
import { codeBlockInfo, COMMENT_BUDGET, fitCodeBlock, fitLines, joinedLength, type CodeBlockInfo } from '../../markdown/src/budget.js'
import { escapeHtml, escapeText, inlineCode, neutralizeMentions } from '../../markdown/src/escape.js'
import { planTextToDiffLines } from '../../markdown/src/diff.js'
import { findTerraformPlanLine, planLineOf, replacementNote } from './counts.js'
import { formatMarker } from './marker.js'
import { changeList, formatPlanChangesMarker } from '../../github/src/reviewed-plan.js'

/** Room for the hidden change list safety-gate compares (see packages/github/src/reviewed-plan.ts). */
const CHANGES_MARKER_MAX = 12_000

/** The plan, prepared once and rendered twice (comment and job summary). */
export interface PreparedPlan {
  model: PlanModel
  /** `terraform show -no-color` converted for a ```diff block; undefined when no text was given. */
  diffLines?: string[]
  /** Terraform's own "Plan: ..." / "No changes." line, verbatim from the text. */
  terraformLine?: string
}

export function preparePlan(model: PlanModel, planText?: string): PreparedPlan {
  const prepared: PreparedPlan = { model }
  if (planText !== undefined && planText !== '') {
    prepared.diffLines = planTextToDiffLines(planText)
    const line = findTerraformPlanLine(planText)
    if (line) prepared.terraformLine = line
  }
  return prepared
}

export interface ReportLinks {
  /** The workflow run (its page shows the job summary). */
  runUrl?: string
  artifactUrl?: string
  artifactName?: string
}

export interface RenderOptions {
  environment: string
  directory: string
  /** terraform or tofu: only changes labels. */
  binary?: string
  links?: ReportLinks
  /** Maximum characters of the result. Default: the comment budget (60,000). */
  budget?: number
  /** comment: the PR comment (hidden marker first, pointers to summary and artifact); summary: the job summary. */
  target?: 'comment' | 'summary'
}

const KIND_ORDER: { kind: ChangeKind; icon: string; label: string }[] = [
  { kind: 'replace', icon: '♻️', label: 'Replace' },
  { kind: 'delete', icon: '🗑️', label: 'Destroy' },
  { kind: 'create', icon: '➕', label: 'Create' },
  { kind: 'update', icon: '✏️', label: 'Update in place' },
  { kind: 'forget', icon: '🫥', label: 'Forget (removed from state, object kept)' },
  { kind: 'read', icon: '📖', label: 'Read during apply' },
]

const REASONS: Record<string, string> = {
  replace_because_tainted: 'tainted',
  replace_because_cannot_update: 'cannot be updated in place',
  replace_by_request: 'replacement requested with -replace',
  replace_by_triggers: 'replace_triggered_by changed',
  delete_because_no_resource_config: 'removed from the configuration',
  delete_because_no_module: 'its module was removed from the configuration',
  delete_because_wrong_repetition: 'count/for_each changed shape',
  delete_because_count_index: 'index no longer in count',
  delete_because_each_key: 'key no longer in for_each',
  delete_because_no_move_target: 'moved block target does not exist',
  read_because_config_unknown: 'configuration known only after apply',
  read_because_dependency_pending: 'depends on a pending change',
  read_because_check_nested: 'used by a check block',
}

const LIST_FOLD_OPEN_MAX = 15

function tool(binary: string | undefined): string {
  return binary === 'tofu' ? 'OpenTofu' : 'Terraform'
}

export function statusIcon(model: PlanModel): string {
  if (model.errored) return '❌'
  if (model.counts.destroy > 0 || model.counts.replace > 0) return '⚠️'
  if (model.hasChanges) return '📝'
  if (model.counts.drift > 0) return '🌀'
  return '✅'
}

export function titleLine(icon: string, options: Pick<RenderOptions, 'environment' | 'directory' | 'binary'>): string {
  const where = [options.environment ? inlineCode(options.environment, 80) : '', inlineCode(options.directory || '.', 200)].filter(Boolean).join(' · ')
  return `### ${icon} ${tool(options.binary)} plan: ${where}`
}

function reasonOf(entry: ResourceEntry): string {
  const parts: string[] = []
  if (entry.replacePaths.length > 0) {
    const paths = entry.replacePaths.slice(0, 5).map((p) => inlineCode(p, 80))
    const more = entry.replacePaths.length > 5 ? ` and ${entry.replacePaths.length - 5} more` : ''
    parts.push(`${paths.join(', ')}${more} ${entry.replacePaths.length === 1 ? 'forces' : 'force'} replacement`)
  }
  if (entry.actionReason) {
    const text = REASONS[entry.actionReason]
    if (!(entry.actionReason === 'replace_because_cannot_update' && entry.replacePaths.length > 0)) {
      parts.push(text ?? inlineCode(entry.actionReason, 80))
    }
  }
  if (entry.kind === 'delete' && parts.length === 0) parts.push('removed from the configuration or planned with -destroy')
  return parts.join('; ')
}

/** A compact, redacted value for inline display. Values in the model are already redacted. */
export function formatValue(value: JsonValue, sensitive = false): string {
  if (sensitive) return '(sensitive)'
  if (value === '(sensitive)' || value === '(known after apply)') return value
  if (value === null) return 'null'
  return JSON.stringify(value)
}

function changedAttrs(entry: ResourceEntry): string {
  if (entry.changedAttributes.length === 0) return ''
  const shown = entry.changedAttributes.slice(0, 8).map((a) => inlineCode(a, 60))
  const more = entry.changedAttributes.length > 8 ? ` +${entry.changedAttributes.length - 8} more` : ''
  return ` — ${shown.join(', ')}${more}`
}

function resourceLine(entry: ResourceEntry, indent: string): string {
  let line = `${indent}- ${inlineCode(entry.address)}`
  if (entry.kind === 'update') line += changedAttrs(entry)
  if (entry.kind === 'replace' || entry.kind === 'delete') {
    const reason = reasonOf(entry)
    if (reason) line += ` — ${reason}`
  }
  if (entry.previousAddress && entry.previousAddress !== entry.address) line += ` (moved from ${inlineCode(entry.previousAddress)})`
  if (entry.importing) line += ' (imported)'
  return line
}

/** List lines grouped by module: root resources first, then one sub-list per module. */
function groupedLines(entries: readonly ResourceEntry[], line: (e: ResourceEntry, indent: string) => string): string[] {
  const byModule = new Map<string, ResourceEntry[]>()
  for (const e of entries) {
    const list = byModule.get(e.moduleAddress)
    if (list) list.push(e)
    else byModule.set(e.moduleAddress, [e])
  }
  if (byModule.size === 1 && byModule.has('')) return entries.map((e) => line(e, ''))
  const out: string[] = []
  const root = byModule.get('')
  if (root) for (const e of root) out.push(line(e, ''))
  for (const [mod, list] of byModule) {
    if (mod === '') continue
    out.push(`- 📦 ${inlineCode(mod)} (${list.length})`)
    for (const e of list) out.push(line(e, '  '))
  }
  return out
}

interface Section {
  /** Text before the lines (e.g. `<details><summary>…</summary>` and a blank line). */
  head: string
  lines: string[]
  /** Text after the lines (e.g. `</details>`). */
  tail: string
  code?: boolean
  /** Computed once (sections are cached and rendered up to several times). */
  size?: number
  linesLength?: number
  codeInfo?: CodeBlockInfo
}

function details(summary: string, count: number): { head: string; tail: string } {
  const open = count <= LIST_FOLD_OPEN_MAX ? ' open' : ''
  return { head: `<details${open}><summary><b>${summary}</b></summary>\n\n`, tail: '\n\n</details>' }
}

function linesLength(s: Section): number {
  return (s.linesLength ??= joinedLength(s.lines))
}

function sectionSize(s: Section): number {
  return (s.size ??= s.head.length + linesLength(s) + s.tail.length + (s.code ? 12 : 0))
}

function warningLines(model: PlanModel): string[] {
  const lines: string[] = []
  for (const e of model.resources) {
    if (e.kind === 'replace') lines.push(`> - ♻️ **replace** ${inlineCode(e.address)}${reasonOf(e) ? ` — ${reasonOf(e)}` : ''}`)
    else if (e.kind === 'delete') lines.push(`> - 🗑️ **destroy** ${inlineCode(e.address)} — ${reasonOf(e)}`)
  }
  return lines
}

function summaryLine(prepared: PreparedPlan, binary: string | undefined): string[] {
  const { model } = prepared
  const c = model.counts
  const lines: string[] = []
  if (model.errored) {
    lines.push(`❌ **${tool(binary)} reported an error while planning: this plan is incomplete and cannot be applied.** See the workflow log.`)
  }
  const resourceChanges = c.add + c.change + c.destroy + c.replace + c.import + c.forget > 0
  const extras: string[] = []
  if (c.move > 0) extras.push(`🚚 ${c.move} moved`)
  if (c.drift > 0) extras.push(`🌀 ${c.drift} changed outside of ${tool(binary)}`)
  if (c.outputs > 0) extras.push(`📤 ${c.outputs} output ${c.outputs === 1 ? 'change' : 'changes'}`)
  if (c.read > 0) extras.push(`📖 ${c.read} to read`)
  if (resourceChanges) {
    const note = replacementNote(c)
    lines.push(`**${planLineOf(c)}**${note ? ` — ${note} (♻️ ${c.replace})` : ''}${extras.length ? ` · ${extras.join(' · ')}` : ''}`)
  } else {
    const what = c.outputs > 0 ? 'no resource changes, only output values change' : 'your infrastructure matches the configuration'
    lines.push(`**No changes** — ${what}.${extras.length ? ` ${extras.join(' · ')}` : ''}`)
  }
  if (prepared.terraformLine) lines.push(`<sub>${tool(binary)} says: ${inlineCode(prepared.terraformLine, 200)}</sub>`)
  return lines
}

function pointerText(options: RenderOptions): string {
  const links = options.links ?? {}
  const where: string[] = []
  if (options.target !== 'summary') where.push(links.runUrl ? `the [job summary](${links.runUrl})` : 'the job summary')
  if (links.artifactUrl) where.push(`artifact [${escapeText(links.artifactName ?? 'plan')}](${links.artifactUrl})`)
  else if (links.artifactName) where.push(`artifact ${inlineCode(links.artifactName)}`)
  if (where.length === 0) where.push(`\`${options.binary === 'tofu' ? 'tofu' : 'terraform'} show\` of the plan file`)
  return `full plan in ${where.join(' / ')}`
}

function outputLine(o: OutputEntry): string {
  const icon = o.kind === 'create' ? '➕' : o.kind === 'delete' ? '🗑️' : '✏️'
  const before = formatValue(o.before, o.sensitive)
  const after = formatValue(o.after, o.sensitive)
  const change = o.kind === 'create' ? inlineCode(after, 120) : o.kind === 'delete' ? `~~${inlineCode(before, 120)}~~` : `${inlineCode(before, 120)} → ${inlineCode(after, 120)}`
  return `- ${icon} ${inlineCode(o.name, 100)}: ${change}`
}

function driftLine(e: ResourceEntry, indent: string): string {
  const what = e.kind === 'delete' ? ' — deleted' : e.kind === 'create' ? ' — created' : changedAttrs(e)
  return `${indent}- ${inlineCode(e.address)}${what}`
}

const sectionCache = new WeakMap<PreparedPlan, Map<string, { lists: Section[]; plan?: Section }>>()

/** The optional sections, built once per plan and label set (the comment and the summary share them). */
function optionalSections(prepared: PreparedPlan, options: RenderOptions): { lists: Section[]; plan?: Section } {
  let byKey = sectionCache.get(prepared)
  if (!byKey) {
    byKey = new Map()
    sectionCache.set(prepared, byKey)
  }
  const key = options.binary ?? ''
  let sections = byKey.get(key)
  if (!sections) {
    sections = buildSections(prepared, options)
    byKey.set(key, sections)
  }
  return sections
}

function buildSections(prepared: PreparedPlan, options: RenderOptions): { lists: Section[]; plan?: Section } {
  const { model } = prepared
  const byKind = new Map<ChangeKind, ResourceEntry[]>()
  const moves: ResourceEntry[] = []
  const imports: ResourceEntry[] = []
  for (const e of model.resources) {
    const list = byKind.get(e.kind)
    if (list) list.push(e)
    else byKind.set(e.kind, [e])
    if (e.previousAddress && e.previousAddress !== e.address) moves.push(e)
    if (e.importing) imports.push(e)
  }
  const lists: Section[] = []
  for (const { kind, icon, label } of KIND_ORDER) {
    const entries = byKind.get(kind)
    if (!entries || entries.length === 0) continue
    lists.push({ ...details(`${icon} ${label} (${entries.length})`, entries.length), lines: groupedLines(entries, resourceLine) })
  }
  if (moves.length > 0) {
    const lines = moves.map((e) => `- ${inlineCode(e.previousAddress ?? '')} → ${inlineCode(e.address)}`)
    lists.push({ ...details(`🚚 Moved (${moves.length})`, moves.length), lines })
  }
  if (imports.length > 0) {
    lists.push({ ...details(`📥 Import (${imports.length})`, imports.length), lines: groupedLines(imports, (e, i) => `${i}- ${inlineCode(e.address)}`) })
  }
  if (model.drift.length > 0) {
    const head = details(`🌀 Changed outside of ${tool(options.binary)} (${model.drift.length})`, model.drift.length)
    lists.push({
      head: `${head.head}These objects changed since the last apply (found on refresh); the planned changes start from their current state.\n\n`,
      tail: head.tail,
      lines: groupedLines(model.drift, driftLine),
    })
  }
  const outputs = model.outputs.filter((o) => o.kind !== 'no-op')
  if (outputs.length > 0) {
    lists.push({ ...details(`📤 Output changes (${outputs.length})`, outputs.length), lines: outputs.map(outputLine) })
  }
  let plan: Section | undefined
  if (prepared.diffLines && prepared.diffLines.length > 0) {
    plan = { head: `<details><summary><b>📄 Full plan</b></summary>\n\n`, lines: prepared.diffLines, tail: '\n\n</details>', code: true }
  }
  return { lists, plan }
}

function renderSection(s: Section, maxChars: number, pointer: (omitted: number) => string): string {
  const frame = s.head.length + s.tail.length
  if (maxChars <= frame) return ''
  const body = s.code
    ? fitCodeBlock(s.lines, maxChars - frame, 'diff', pointer, (s.codeInfo ??= codeBlockInfo(s.lines)))
    : fitLines(s.lines, maxChars - frame, pointer, linesLength(s))
  return body === '' ? '' : `${s.head}${body}${s.tail}`
}

function footerLine(model: PlanModel, options: RenderOptions): string {
  const links = options.links ?? {}
  const parts = [`fingerprint ${inlineCode(model.fingerprint.slice(0, 16) || 'none')}`]
  if (links.runUrl) parts.push(`[workflow run](${links.runUrl})`)
  if (links.artifactUrl) parts.push(`[plan artifact](${links.artifactUrl})`)
  parts.push(`${escapeHtml(tool(options.binary))} ${escapeHtml(model.terraformVersion || '')}`.trim())
  return `<sub>${parts.join(' · ')}</sub>`
}

const SEP = '\n\n'

/**
 * Renders the plan as markdown within `options.budget` characters. The title, the summary line and
 * the destroy/replace warnings always stay (the warning list is capped at half the budget); the
 * resource lists come next and the full plan text gets what is left. Anything cut is cut on a line
 * boundary and replaced by a pointer to where the full plan is.
 */
export function renderPlanMarkdown(prepared: PreparedPlan, options: RenderOptions): string {
  const { model } = prepared
  const target = options.target ?? 'comment'
  const budget = options.budget ?? COMMENT_BUDGET
  const where = pointerText({ ...options, target })
  const head: string[] = []
  if (target === 'comment') head.push(formatMarker({ environment: options.environment, directory: options.directory, fingerprint: model.fingerprint }))
  head.push(titleLine(statusIcon(model), options))
  const required: string[] = [head.join('\n'), summaryLine(prepared, options.binary).join('\n')]
  if (target === 'comment' && model.resources.length > 0) {
    required.push(formatPlanChangesMarker(changeList(model), Math.min(CHANGES_MARKER_MAX, Math.floor(budget / 5))))
  }

  const warnings = warningLines(model)
  if (warnings.length > 0) {
    const n = warnings.length
    const intro = `> [!CAUTION]\n> ⚠️ **${n} ${n === 1 ? 'resource' : 'resources'} will be destroyed or replaced — review before approving:**\n`
    const body = fitLines(warnings, Math.floor(budget / 2) - intro.length, (omitted) => `> - ✂️ *…and ${omitted} more — ${where}*`)
    required.push(intro + body)
  }
  const footer = footerLine(model, options)
  let used = joinedLength(required) + SEP.length * required.length + footer.length

  const { lists, plan } = optionalSections(prepared, options)
  const parts = [...required]
  const listSizes = lists.map(sectionSize)
  const listsTotal = listSizes.reduce((a, b) => a + b + SEP.length, 0)
  const planFull = plan ? sectionSize(plan) + SEP.length : 0
  // Everything fits: no cutting at all.
  const fitsWhole = used + listsTotal + planFull <= budget
  // Otherwise lists get what they need but leave the plan text at least a third of what remains.
  const planReserve = fitsWhole || !plan ? 0 : Math.min(planFull, Math.floor((budget - used) / 3))
  const listPointer = (omitted: number): string => `- ✂️ *truncated: ${omitted} more ${omitted === 1 ? 'line' : 'lines'} — ${where}*`
  for (let i = 0; i < lists.length; i++) {
    const s = lists[i] as Section
    const room = budget - used - planReserve - SEP.length
    const text = renderSection(s, Math.min(room, listSizes[i] as number), listPointer)
    if (text === '') {
      if (room > 0) {
        const note = `*✂️ more sections truncated — ${where}*`
        if (note.length + SEP.length <= budget - used) {
          parts.push(note)
          used += note.length + SEP.length
        }
      }
      break
    }
    parts.push(text)
    used += text.length + SEP.length
  }
  if (plan) {
    const room = budget - used - SEP.length
    const text = renderSection(plan, room, (omitted) => `\n*✂️ truncated: ${omitted} more ${omitted === 1 ? 'line' : 'lines'} of the plan — ${where}*`)
    if (text !== '') {
      parts.push(text)
      used += text.length + SEP.length
    }
  } else if (!model.errored && model.hasChanges && target === 'comment') {
    // nothing: without plan text the lists above are the whole story
  }
  parts.push(footer)
  return `${parts.join(SEP)}\n`
}

/** The PR comment: hidden marker first, never over the comment budget. */
export function renderComment(prepared: PreparedPlan, options: Omit<RenderOptions, 'target'>): string {
  return renderPlanMarkdown(prepared, { ...options, target: 'comment', budget: options.budget ?? COMMENT_BUDGET })
}

/**
 * The job summary within `maxBytes` UTF-8 bytes (the runner's limit is in bytes; the renderer counts
 * characters, so this shrinks the character budget until the bytes fit).
 */
export function renderSummary(prepared: PreparedPlan, options: Omit<RenderOptions, 'target' | 'budget'>, maxBytes: number): string {
  let budget = maxBytes
  for (let attempt = 0; attempt < 6; attempt++) {
    const text = renderPlanMarkdown(prepared, { ...options, target: 'summary', budget })
    const bytes = Buffer.byteLength(text, 'utf8')
    if (bytes <= maxBytes) return text
    budget = Math.floor(budget * (maxBytes / bytes) * 0.97)
  }
  return renderPlanMarkdown(prepared, { ...options, target: 'summary', budget: Math.floor(maxBytes / 4) })
}

export interface FailureInfo {
  environment: string
  directory: string
  binary?: string
  /** What failed, e.g. "terraform show -json tfplan failed (exit 1)". */
  what: string
  /** Details (stderr), shown in a code block. */
  details?: string
  links?: ReportLinks
  fingerprint?: string
}

/** The ❌ comment (or summary) for a plan that could not be read at all. */
export function renderFailure(info: FailureInfo, target: 'comment' | 'summary' = 'comment', budget = COMMENT_BUDGET): string {
  const parts: string[] = []
  const head: string[] = []
  if (target === 'comment') head.push(formatMarker({ environment: info.environment, directory: info.directory, fingerprint: info.fingerprint ?? '' }))
  head.push(titleLine('❌', info))
  parts.push(head.join('\n'))
  parts.push(`❌ **${escapeText(info.what)}** — there is no plan to review; the step failed.`)
  if (info.details) {
    const lines = neutralizeMentions(info.details).split(/\r?\n/)
    const block = fitCodeBlock(lines, Math.max(0, budget - joinedLength(parts) - 200), '', (n) => `*✂️ ${n} more lines in the workflow log*`)
    if (block) parts.push(block)
  }
  if (info.links?.runUrl) parts.push(`<sub>[workflow run](${info.links.runUrl})</sub>`)
  return `${parts.join(SEP)}\n`
}
