/** The optional sections of a rendered plan (the lists and the plan text): built once per plan, rendered to a size. */
import type { ChangeKind, ResourceEntry } from '@tfpipe/terraform/model.js'
import {
  codeBlockInfo,
  fitCodeBlock,
  fitCountedLines,
  joinedLength,
  type CodeBlockInfo,
} from '@tfpipe/markdown/budget.js'
import { inlineCode } from '@tfpipe/markdown/escape.js'
import { driftLine, groupedLines, outputLine, resourceLine } from './entry-lines.js'
import { tool } from './headline.js'
import type { PreparedPlan, RenderOptions } from './prepared.js'

export const SEP = '\n\n'

/** The lists below the caution block (which holds destroys and replacements), in risk order. */
const LIST_KINDS: { kind: ChangeKind; icon: string; label: string; noun: string }[] = [
  { kind: 'update', icon: '✏️', label: 'Update in place', noun: 'to update' },
  { kind: 'create', icon: '➕', label: 'Create', noun: 'to create' },
  { kind: 'forget', icon: '🫥', label: 'Forget (removed from state, object kept)', noun: 'to forget' },
  { kind: 'read', icon: '📖', label: 'Read during apply', noun: 'to read' },
]

const LIST_FOLD_OPEN_MAX = 15

export interface Section {
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
export interface ListSection {
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

export function sectionSize(s: Section): number {
  return (s.size ??= s.head.length + linesLength(s) + s.tail.length + (s.code ? 12 : 0))
}

export interface BuiltSections {
  lists: ListSection[]
  plan?: Section
  /** Plan text lines (for the "N of M plan lines" note). */
  planLines: number
}

const sectionCache = new WeakMap<PreparedPlan, Map<string, BuiltSections>>()

/** The optional sections, built once per plan and label set (the comment and the summary share them). */
export function optionalSections(prepared: PreparedPlan, options: RenderOptions): BuiltSections {
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
function weighted(
  entries: readonly ResourceEntry[],
  line: (e: ResourceEntry, indent: string) => string,
): { lines: string[]; weights: number[] } {
  const lines = groupedLines(entries, line)
  const weights = lines.map((l) => (l.startsWith('- 📦 ') ? 0 : 1))
  return { lines, weights }
}

function resourceSection(
  entries: readonly ResourceEntry[],
  summary: string,
  noun: string,
  line: (e: ResourceEntry, indent: string) => string,
  intro = '',
): ListSection {
  const frame = details(summary, entries.length)
  const head = `${frame.head}${intro}`
  const full = { head, tail: frame.tail, ...weighted(entries, line) }
  const namesLines = entries.map((e) => `- ${inlineCode(e.address)}`)
  const section: ListSection = { count: entries.length, noun, full }
  if (joinedLength(namesLines) < joinedLength(full.lines))
    section.names = {
      head: `${frame.head}<sub>names only, to fit</sub>\n\n${intro}`,
      tail: frame.tail,
      lines: namesLines,
    }
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
    lists.push(
      resourceSection(
        imports,
        `📥 Import (${imports.length})`,
        'to import',
        (e, i) => `${i}- ${inlineCode(e.address)}`,
      ),
    )
  }
  if (model.drift.length > 0) {
    const intro =
      'These objects changed since the last apply (found on refresh); the planned changes start from their current state.\n\n'
    lists.push(
      resourceSection(
        model.drift,
        `🌀 Changed outside of ${tool(options.binary)} (${model.drift.length})`,
        'changed outside',
        driftLine,
        intro,
      ),
    )
  }
  const outputs = model.outputs.filter((o) => o.kind !== 'no-op')
  if (outputs.length > 0) {
    const frame = details(`📤 Output changes (${outputs.length})`, outputs.length)
    lists.push({
      count: outputs.length,
      noun: outputs.length === 1 ? 'output change' : 'output changes',
      full: { ...frame, lines: outputs.map(outputLine) },
    })
  }
  let plan: Section | undefined
  if (prepared.diffLines && prepared.diffLines.length > 0) {
    plan = {
      head: `<details><summary><b>📄 Full plan</b></summary>\n\n`,
      lines: prepared.diffLines,
      tail: '\n\n</details>',
      code: true,
    }
  }
  return { lists, plan, planLines: prepared.diffLines?.length ?? 0 }
}

export function renderSection(s: Section, maxChars: number, pointer: (omitted: number) => string): string {
  const frame = s.head.length + s.tail.length
  if (maxChars <= frame) return ''
  const body = s.code
    ? fitCodeBlock(s.lines, maxChars - frame, 'diff', pointer, (s.codeInfo ??= codeBlockInfo(s.lines)))
    : fitCountedLines(s.lines, s.weights, maxChars - frame, pointer, linesLength(s), true)
  return body === '' ? '' : `${s.head}${body}${s.tail}`
}
