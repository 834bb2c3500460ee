/** Renders a prepared plan within a budget: the budgeting, the PR comment and the job summary. */
import { COMMENT_BUDGET, fitCountedLines, joinedLength } from '@tfpipe/markdown/budget.js'
import { changeList, formatPlanChangesMarker } from '@tfpipe/github/reviewed-plan.js'
import { formatMarker } from './marker.js'
import { cautionEntries, cautionLine } from './entry-lines.js'
import { footerLine, pointerText, statusIcon, summaryLine, titleLine } from './headline.js'
import type { PreparedPlan, RenderOptions, RenderStats } from './prepared.js'
import { optionalSections, renderSection, sectionSize, SEP, type ListSection } from './sections.js'

/** Room for the hidden change list safety-gate compares (see packages/github/src/reviewed-plan.ts). */
const CHANGES_MARKER_MAX = 12_000

/** Below this the plan text is not shown at all (a note says where it is). */
const PLAN_MIN_ROOM = 1_000
const PLAN_NOTE_ROOM = 400

/** Levels per list: the full form while it fits, names only from the least risky list up. */
function chooseLevels(lists: readonly ListSection[], room: number): { levels: ('full' | 'names')[]; size: number } {
  const levels = lists.map((): 'full' | 'names' => 'full')
  const size = (): number =>
    lists.reduce((a, l, i) => a + sectionSize(levels[i] === 'names' && l.names ? l.names : l.full) + SEP.length, 0)
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
export function renderPlanMarkdownWithStats(
  prepared: PreparedPlan,
  options: RenderOptions,
): { text: string; stats: RenderStats } {
  const { model } = prepared
  const target = options.target ?? 'comment'
  const budget = options.budget ?? COMMENT_BUDGET
  const where = pointerText({ ...options, target })
  const stats: RenderStats = { complete: true, omittedResources: 0, planLinesShown: 0, planLinesTotal: 0 }
  const head: string[] = []
  if (target === 'comment')
    head.push(
      formatMarker({ environment: options.environment, directory: options.directory, fingerprint: model.fingerprint }),
    )
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
      const what = [
        moreDeletes > 0 ? `${moreDeletes} to destroy` : '',
        moreReplaces > 0 ? `${moreReplaces} to replace` : '',
      ]
        .filter(Boolean)
        .join(', ')
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
    const list = lists[i]!
    const s = levels[i] === 'names' && list.names ? list.names : list.full
    const size = sectionSize(s)
    // later lists that end up with no room are counted in one note: keep room for it
    const noteRoom = i < lists.length - 1 ? 60 + where.length + 30 * (lists.length - 1 - i) : 0
    const roomNow = budget - used - planReserve - SEP.length - noteRoom
    const text =
      notListed.length > 0
        ? ''
        : renderSection(s, Math.min(roomNow, size), (omitted) => `- ✂️ *…and ${omitted} more ${list.noun} — ${where}*`)
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
    const pointer = (omitted: number): string =>
      `\n*✂️ truncated: ${omitted} more ${omitted === 1 ? 'line' : 'lines'} of the plan — ${where}*`
    const text = roomNow < PLAN_MIN_ROOM ? '' : renderSection(plan, roomNow, pointer)
    if (text !== '') {
      parts.push(text)
      const m = /\*✂️ truncated: (\d+) more/.exec(text.slice(text.lastIndexOf('*✂️ truncated: ')))
      stats.planLinesShown = planLines - (m && text.length < sectionSize(plan) ? Number(m[1]) : 0)
    } else {
      const note = `*✂️ the plan text (${planLines.toLocaleString('en-US')} lines) did not fit — ${where}*`
      if (note.length + SEP.length <= budget - used) {
        parts.push(note)
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
export function renderSummary(
  prepared: PreparedPlan,
  options: Omit<RenderOptions, 'target' | 'budget'>,
  maxBytes: number,
): string {
  return renderSummaryWithStats(prepared, options, maxBytes).text
}

/** renderSummary, and what it left out (the comment says what the summary holds). */
export function renderSummaryWithStats(
  prepared: PreparedPlan,
  options: Omit<RenderOptions, 'target' | 'budget'>,
  maxBytes: number,
): { text: string; stats: RenderStats } {
  let budget = maxBytes
  for (let attempt = 0; attempt < 6; attempt++) {
    const out = renderPlanMarkdownWithStats(prepared, { ...options, target: 'summary', budget })
    const bytes = Buffer.byteLength(out.text, 'utf8')
    if (bytes <= maxBytes) return out
    budget = Math.floor(budget * (maxBytes / bytes) * 0.97)
  }
  return renderPlanMarkdownWithStats(prepared, { ...options, target: 'summary', budget: Math.floor(maxBytes / 4) })
}
