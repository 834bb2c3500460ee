import type { JsonValue } from '../../terraform/src/plan-json.js'
import type { ChangeKind, OutputEntry, PlanModel, ResourceEntry } from '../../terraform/src/model.js'
import { codeBlockInfo, COMMENT_BUDGET, fitCodeBlock, fitCountedLines, joinedLength, type CodeBlockInfo } from '../../markdown/src/budget.js'
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
  /** The file in the artifact that holds the complete plan (default `plan.txt`). */
  artifactFile?: string
  /** What the job summary of this run holds (comment only). */
  summary?: { written: boolean } & RenderStats
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
  /** A one-line next step under the summary line (already escaped markdown). */
  nextStep?: string
  /** Rendered, size-bounded blocks (gate preview, cost, security) placed after the caution block. */
  insights?: string[]
}

/** The lists below the caution block (which holds destroys and replacements), in risk order. */
const LIST_KINDS: { kind: ChangeKind; icon: string; label: string; noun: string }[] = [
  { kind: 'update', icon: '✏️', label: 'Update in place', noun: 'to update' },
  { kind: 'create', icon: '➕', label: 'Create', noun: 'to create' },
  { kind: 'forget', icon: '🫥', label: 'Forget (removed from state, object kept)', noun: 'to forget' },
  { kind: 'read', icon: '📖', label: 'Read during apply', noun: 'to read' },
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
  /** Items each line stands for (1 per resource, 0 for a module heading); default one per line. */
  weights?: number[]
  /** Text after the lines (e.g. `</details>`). */
  tail: string
  code?: boolean
  /** Computed once (sections are cached and rendered up to several times). */
  size?: number
  linesLength?: number
  codeInfo?: CodeBlockInfo
}

/** A list section in two forms: full (reasons, changed attributes, module groups) and names only. */
interface ListSection {
  /** Items in the section (resources, outputs). */
  count: number
  /** "to update", "to create": for "…and N more to update". */
  noun: string
  full: Section
  /** Addresses only; absent when the full form is already minimal. */
  names?: Section
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

/** Destroys first, then replacements: the riskiest changes lead. */
function cautionEntries(model: PlanModel): { deletes: ResourceEntry[]; replaces: ResourceEntry[] } {
  const deletes: ResourceEntry[] = []
  const replaces: ResourceEntry[] = []
  for (const e of model.resources) {
    if (e.kind === 'delete') deletes.push(e)
    else if (e.kind === 'replace') replaces.push(e)
  }
  return { deletes, replaces }
}

function cautionLine(e: ResourceEntry): string {
  const reason = reasonOf(e)
  const extra = `${e.previousAddress && e.previousAddress !== e.address ? ` (moved from ${inlineCode(e.previousAddress)})` : ''}${e.importing ? ' (imported)' : ''}`
  return e.kind === 'replace'
    ? `> - ♻️ **replace** ${inlineCode(e.address)}${reason ? ` — ${reason}` : ''}${extra}`
    : `> - 🗑️ **destroy** ${inlineCode(e.address)} — ${reason}${extra}`
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`
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

/**
 * Where the complete plan really is. The artifact's text file when one was uploaded; the job summary only
 * when it holds everything (the summary is cut at 1 MiB too); otherwise `terraform show` of the plan file.
 */
export function pointerText(options: RenderOptions): string {
  const links = options.links ?? {}
  const file = links.artifactFile ?? (links.artifactName ? 'plan.txt' : undefined)
  if (links.artifactUrl) return `full plan: ${inlineCode(file ?? 'plan.txt')} in artifact [${escapeText(links.artifactName ?? 'plan')}](${links.artifactUrl})`
  if (links.artifactName) return `full plan: ${inlineCode(file ?? 'plan.txt')} in artifact ${inlineCode(links.artifactName)}`
  if (options.target !== 'summary' && links.summary?.complete) return `full plan in the ${links.runUrl ? `[job summary](${links.runUrl})` : 'job summary'}`
  return `full plan: \`${options.binary === 'tofu' ? 'tofu' : 'terraform'} show\` of the plan file`
}

/** One line saying what the job summary holds (comment only; the summary may be cut as well). */
function summaryHolds(options: RenderOptions): string | undefined {
  const s = options.links?.summary
  if (options.target === 'summary' || !s) return undefined
  const where = options.links?.runUrl ? `[Job summary](${options.links.runUrl})` : 'Job summary'
  if (!s.written) return undefined
  if (s.complete) return `${where}: the complete plan.`
  const parts: string[] = []
  parts.push(s.omittedResources > 0 ? `every list but ${plural(s.omittedResources, 'resource', 'resources')}` : 'every resource')
  if (s.planLinesTotal > 0) parts.push(`${s.planLinesShown.toLocaleString('en-US')} of ${s.planLinesTotal.toLocaleString('en-US')} plan lines`)
  return `${where}: ${parts.join(', ')} (cut at GitHub's 1 MiB limit).`
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

interface BuiltSections {
  lists: ListSection[]
  plan?: Section
  /** Plan text lines (for the "N of M plan lines" note). */
  planLines: number
}

const sectionCache = new WeakMap<PreparedPlan, Map<string, BuiltSections>>()

/** The optional sections, built once per plan and label set (the comment and the summary share them). */
function optionalSections(prepared: PreparedPlan, options: RenderOptions): BuiltSections {
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

/** Lines grouped by module with weights (headings weigh 0). */
function weighted(entries: readonly ResourceEntry[], line: (e: ResourceEntry, indent: string) => string): { lines: string[]; weights: number[] } {
  const lines = groupedLines(entries, line)
  const weights = lines.map((l) => (l.startsWith('- 📦 ') ? 0 : 1))
  return { lines, weights }
}

function resourceSection(entries: readonly ResourceEntry[], summary: string, noun: string, line: (e: ResourceEntry, indent: string) => string, intro = ''): ListSection {
  const frame = details(summary, entries.length)
  const head = `${frame.head}${intro}`
  const full = { head, tail: frame.tail, ...weighted(entries, line) }
  const namesLines = entries.map((e) => `- ${inlineCode(e.address)}`)
  const section: ListSection = { count: entries.length, noun, full }
  if (joinedLength(namesLines) < joinedLength(full.lines)) section.names = { head: `${frame.head}<sub>names only, to fit</sub>\n\n${intro}`, tail: frame.tail, lines: namesLines }
  return section
}

/**
 * The list sections, each resource exactly once: destroys and replacements are in the caution block, so the
 * lists hold updates, creates, forgets and reads (risk order); moves and imports without any other change get
 * their own lists (a moved or imported resource that also changes is marked in its list instead). Drift and
 * output changes follow.
 */
function buildSections(prepared: PreparedPlan, options: RenderOptions): BuiltSections {
  const { model } = prepared
  const byKind = new Map<ChangeKind, ResourceEntry[]>()
  const moves: ResourceEntry[] = []
  const imports: ResourceEntry[] = []
  for (const e of model.resources) {
    if (e.kind === 'no-op') {
      if (e.previousAddress && e.previousAddress !== e.address) moves.push(e)
      else if (e.importing) imports.push(e)
      continue
    }
    const list = byKind.get(e.kind)
    if (list) list.push(e)
    else byKind.set(e.kind, [e])
  }
  const lists: ListSection[] = []
  for (const { kind, icon, label, noun } of LIST_KINDS) {
    const entries = byKind.get(kind)
    if (!entries || entries.length === 0) continue
    lists.push(resourceSection(entries, `${icon} ${label} (${entries.length})`, noun, resourceLine))
  }
  if (moves.length > 0) {
    const frame = details(`🚚 Moved (${moves.length})`, moves.length)
    const lines = moves.map((e) => `- ${inlineCode(e.previousAddress ?? '')} → ${inlineCode(e.address)}`)
    lists.push({ count: moves.length, noun: 'moved', full: { ...frame, lines } })
  }
  if (imports.length > 0) {
    lists.push(resourceSection(imports, `📥 Import (${imports.length})`, 'to import', (e, i) => `${i}- ${inlineCode(e.address)}`))
  }
  if (model.drift.length > 0) {
    const intro = 'These objects changed since the last apply (found on refresh); the planned changes start from their current state.\n\n'
    lists.push(resourceSection(model.drift, `🌀 Changed outside of ${tool(options.binary)} (${model.drift.length})`, 'changed outside', driftLine, intro))
  }
  const outputs = model.outputs.filter((o) => o.kind !== 'no-op')
  if (outputs.length > 0) {
    const frame = details(`📤 Output changes (${outputs.length})`, outputs.length)
    lists.push({ count: outputs.length, noun: outputs.length === 1 ? 'output change' : 'output changes', full: { ...frame, lines: outputs.map(outputLine) } })
  }
  let plan: Section | undefined
  if (prepared.diffLines && prepared.diffLines.length > 0) {
    plan = { head: `<details><summary><b>📄 Full plan</b></summary>\n\n`, lines: prepared.diffLines, tail: '\n\n</details>', code: true }
  }
  return { lists, plan, planLines: prepared.diffLines?.length ?? 0 }
}

function renderSection(s: Section, maxChars: number, pointer: (omitted: number) => string): string {
  const frame = s.head.length + s.tail.length
  if (maxChars <= frame) return ''
  const body = s.code
    ? fitCodeBlock(s.lines, maxChars - frame, 'diff', pointer, (s.codeInfo ??= codeBlockInfo(s.lines)))
    : fitCountedLines(s.lines, s.weights, maxChars - frame, pointer, linesLength(s), true)
  return body === '' ? '' : `${s.head}${body}${s.tail}`
}

function footerLine(model: PlanModel, options: RenderOptions): string {
  const links = options.links ?? {}
  const parts = [`fingerprint ${inlineCode(model.fingerprint.slice(0, 16) || 'none')}`]
  if (links.runUrl) parts.push(`[workflow run](${links.runUrl})`)
  if (links.artifactUrl) parts.push(`[plan artifact](${links.artifactUrl})`)
  parts.push(`${escapeHtml(tool(options.binary))} ${escapeHtml(model.terraformVersion || '')}`.trim())
  const holds = summaryHolds(options)
  return `<sub>${parts.join(' · ')}</sub>${holds ? `\n<sub>${holds}</sub>` : ''}`
}

const SEP = '\n\n'
/** Below this the plan text is not shown at all (a note says where it is). */
const PLAN_MIN_ROOM = 1_000
const PLAN_NOTE_ROOM = 400

/** What a rendering left out (main.ts tells the comment what the job summary holds). */
export interface RenderStats {
  /** Nothing was cut. */
  complete: boolean
  /** Resources (and outputs, drifted objects) listed nowhere in this rendering. */
  omittedResources: number
  planLinesShown: number
  planLinesTotal: number
}

/** Levels per list: the full form while it fits, names only from the least risky list up. */
function chooseLevels(lists: readonly ListSection[], room: number): { levels: ('full' | 'names')[]; size: number } {
  const levels = lists.map(() => 'full' as 'full' | 'names')
  const size = (): number => lists.reduce((a, l, i) => a + sectionSize(levels[i] === 'names' && l.names ? l.names : l.full) + SEP.length, 0)
  let total = size()
  for (let i = lists.length - 1; i >= 0 && total > room; i--) {
    if (!lists[i]?.names) continue
    levels[i] = 'names'
    total = size()
  }
  return { levels, size: total }
}

/**
 * Renders the plan as markdown within `options.budget` characters. The title, the summary line, the
 * insights (gate preview, cost, security) and the destroy/replace caution block always stay (the caution
 * block is capped at half the budget). Every resource appears once: the lists come next in risk order
 * (update, create, forget, read), shortened to names only from the least risky list up when they would not
 * fit, and cut with exact "…and N more" counts only when even names do not fit; the full plan text gets
 * what is left (at least a third of the room while the lists fit in names). Cuts fall on line boundaries
 * and point to where the complete plan is.
 */
export function renderPlanMarkdownWithStats(prepared: PreparedPlan, options: RenderOptions): { text: string; stats: RenderStats } {
  const { model } = prepared
  const target = options.target ?? 'comment'
  const budget = options.budget ?? COMMENT_BUDGET
  const where = pointerText({ ...options, target })
  const stats: RenderStats = { complete: true, omittedResources: 0, planLinesShown: 0, planLinesTotal: 0 }
  const head: string[] = []
  if (target === 'comment') head.push(formatMarker({ environment: options.environment, directory: options.directory, fingerprint: model.fingerprint }))
  head.push(titleLine(statusIcon(model), options))
  const top = summaryLine(prepared, options.binary)
  if (options.nextStep) top.push(options.nextStep)
  const required: string[] = [head.join('\n'), top.join('\n')]
  if (target === 'comment' && model.resources.length > 0) {
    required.push(formatPlanChangesMarker(changeList(model), Math.min(CHANGES_MARKER_MAX, Math.floor(budget / 5))))
  }

  const { deletes, replaces } = cautionEntries(model)
  const risky = [...deletes, ...replaces]
  if (risky.length > 0) {
    const n = risky.length
    const intro = `> [!CAUTION]\n> ⚠️ **${n} ${n === 1 ? 'resource' : 'resources'} will be destroyed or replaced — review before approving:**\n`
    const lines = risky.map(cautionLine)
    const body = fitCountedLines(lines, undefined, Math.floor(budget / 2) - intro.length, (omitted) => {
      const shown = n - omitted
      const moreDeletes = Math.max(0, deletes.length - shown)
      const moreReplaces = omitted - moreDeletes
      const what = [moreDeletes > 0 ? `${moreDeletes} to destroy` : '', moreReplaces > 0 ? `${moreReplaces} to replace` : ''].filter(Boolean).join(', ')
      return `> - ✂️ *…and ${omitted} more (${what}) — ${where}*`
    })
    if (body.length < joinedLength(lines)) {
      stats.complete = false
      stats.omittedResources += n - (body.match(/^> - (?:♻️|🗑️) /gm)?.length ?? 0)
    }
    required.push(intro + body)
  }
  for (const block of options.insights ?? []) if (block) required.push(block)
  const footer = footerLine(model, options)
  let used = joinedLength(required) + SEP.length * required.length + footer.length

  const { lists, plan, planLines } = optionalSections(prepared, options)
  stats.planLinesTotal = planLines
  const parts = [...required]
  const planFull = plan ? sectionSize(plan) + SEP.length : 0
  const room = budget - used
  let levels: ('full' | 'names')[]
  let planReserve = 0
  const whole = chooseLevels(lists, Number.POSITIVE_INFINITY)
  if (whole.size + planFull <= room) levels = whole.levels
  else {
    // the lists (names if need be) leave the plan text at least a third of the room; if even names do not
    // fit there, the lists take the whole room and the plan text only what is left
    planReserve = plan ? Math.min(planFull, Math.floor(room / 3)) : 0
    let choice = chooseLevels(lists, room - planReserve)
    if (choice.size > room - planReserve) {
      planReserve = plan ? PLAN_NOTE_ROOM : 0
      choice = chooseLevels(lists, room)
    }
    levels = choice.levels
  }
  const notListed: string[] = []
  for (let i = 0; i < lists.length; i++) {
    const list = lists[i] as ListSection
    const s = levels[i] === 'names' && list.names ? list.names : list.full
    const size = sectionSize(s)
    // later lists that end up with no room are counted in one note: keep room for it
    const noteRoom = i < lists.length - 1 ? 60 + where.length + 30 * (lists.length - 1 - i) : 0
    const roomNow = budget - used - planReserve - SEP.length - noteRoom
    const text = notListed.length > 0 ? '' : renderSection(s, Math.min(roomNow, size), (omitted) => `- ✂️ *…and ${omitted} more ${list.noun} — ${where}*`)
    if (text === '') {
      notListed.push(`${list.count} ${list.noun}`)
      stats.omittedResources += list.count
      stats.complete = false
      continue
    }
    if (text.length < size) {
      stats.complete = false
      const m = /…and (\d+) more/.exec(text.slice(text.lastIndexOf('- ✂️ *…and ')))
      stats.omittedResources += m ? Number(m[1]) : 0
    }
    parts.push(text)
    used += text.length + SEP.length
  }
  if (notListed.length > 0) {
    const note = `*✂️ not listed: ${notListed.join(', ')} — ${where}*`
    if (note.length + SEP.length <= budget - used) {
      parts.push(note)
      used += note.length + SEP.length
    }
  }
  if (plan) {
    const roomNow = budget - used - SEP.length
    const pointer = (omitted: number): string => `\n*✂️ truncated: ${omitted} more ${omitted === 1 ? 'line' : 'lines'} of the plan — ${where}*`
    const text = roomNow < PLAN_MIN_ROOM ? '' : renderSection(plan, roomNow, pointer)
    if (text !== '') {
      parts.push(text)
      used += text.length + SEP.length
      const m = /\*✂️ truncated: (\d+) more/.exec(text.slice(text.lastIndexOf('*✂️ truncated: ')))
      stats.planLinesShown = planLines - (m && text.length < sectionSize(plan) ? Number(m[1]) : 0)
    } else {
      const note = `*✂️ the plan text (${planLines.toLocaleString('en-US')} lines) did not fit — ${where}*`
      if (note.length + SEP.length <= budget - used) {
        parts.push(note)
        used += note.length + SEP.length
      }
    }
    if (stats.planLinesShown < planLines) stats.complete = false
  }
  parts.push(footer)
  return { text: `${parts.join(SEP)}\n`, stats }
}

export function renderPlanMarkdown(prepared: PreparedPlan, options: RenderOptions): string {
  return renderPlanMarkdownWithStats(prepared, options).text
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
  return renderSummaryWithStats(prepared, options, maxBytes).text
}

/** renderSummary, and what it left out (the comment says what the summary holds). */
export function renderSummaryWithStats(prepared: PreparedPlan, options: Omit<RenderOptions, 'target' | 'budget'>, maxBytes: number): { text: string; stats: RenderStats } {
  let budget = maxBytes
  for (let attempt = 0; attempt < 6; attempt++) {
    const out = renderPlanMarkdownWithStats(prepared, { ...options, target: 'summary', budget })
    const bytes = Buffer.byteLength(out.text, 'utf8')
    if (bytes <= maxBytes) return out
    budget = Math.floor(budget * (maxBytes / bytes) * 0.97)
  }
  return renderPlanMarkdownWithStats(prepared, { ...options, target: 'summary', budget: Math.floor(maxBytes / 4) })
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
