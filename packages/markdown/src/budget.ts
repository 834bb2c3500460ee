import { fenceFor } from './escape.js'

/** GitHub rejects an issue/PR comment body over 65,536 characters; we keep a margin. */
export const COMMENT_LIMIT = 65_536
export const COMMENT_BUDGET = 60_000

export interface Cut {
  /** The lines kept, joined with "\n" (no trailing newline). */
  text: string
  kept: number
  omitted: number
}

/**
 * Keeps whole lines from the start while the joined text stays within `maxChars`.
 * Never splits a line; a single line longer than the budget is dropped, not cut.
 */
export function takeLines(lines: readonly string[], maxChars: number): Cut {
  let size = 0
  let kept = 0
  for (; kept < lines.length; kept++) {
    const add = lines[kept]!.length + (kept > 0 ? 1 : 0)
    if (size + add > maxChars) break
    size += add
  }
  return { text: lines.slice(0, kept).join('\n'), kept, omitted: lines.length - kept }
}

/** Total characters of `lines` joined by "\n". */
export function joinedLength(lines: readonly string[]): number {
  let size = lines.length > 0 ? lines.length - 1 : 0
  for (const line of lines) size += line.length
  return size
}

/**
 * Renders `lines` as a list or paragraph block within `maxChars`: everything when it fits, otherwise the
 * leading lines plus the `pointer(omitted)` line. Returns '' when not even the pointer fits.
 */
export function fitLines(
  lines: readonly string[],
  maxChars: number,
  pointer: (omitted: number) => string,
  length = joinedLength(lines),
): string {
  if (length <= maxChars) return lines.join('\n')
  const reserve = pointer(lines.length).length + 1
  if (reserve > maxChars) return ''
  const cut = takeLines(lines, maxChars - reserve)
  return cut.kept === 0 ? pointer(cut.omitted) : `${cut.text}\n${pointer(cut.omitted)}`
}

/**
 * A fenced code block of `lines` within `maxChars` (fences included). When the lines do not all fit, the
 * block holds the leading lines and `pointer(omitted)` follows it, outside the fence, so the fence is always
 * closed. Returns '' when not even an empty block and the pointer fit.
 */
export function fitCodeBlock(
  lines: readonly string[],
  maxChars: number,
  language: string,
  pointer: (omitted: number) => string,
  known: CodeBlockInfo = codeBlockInfo(lines),
): string {
  const fence = known.fence
  const frame = fence.length * 2 + language.length + 2
  const full = known.length
  if (full + frame + 1 <= maxChars) return `${fence}${language}\n${lines.join('\n')}\n${fence}`
  const reserve = frame + 2 + pointer(lines.length).length
  if (reserve > maxChars) return ''
  const cut = takeLines(lines, maxChars - reserve)
  const body = cut.kept > 0 ? `${cut.text}\n` : ''
  return `${fence}${language}\n${body}${fence}\n${pointer(cut.omitted)}`
}

/** What fitCodeBlock needs to know about all of `lines`; compute it once when fitting the same lines again. */
export interface CodeBlockInfo {
  /** The fence the block needs. */
  fence: string
  /** joinedLength(lines). */
  length: number
}

export function codeBlockInfo(lines: readonly string[]): CodeBlockInfo {
  let fence = '```'
  for (const line of lines) {
    if (line.includes('```')) {
      fence = fenceFor(lines.join('\n'))
      break
    }
  }
  return { fence, length: joinedLength(lines) }
}

/**
 * Like fitLines, but `pointer` receives the number of omitted *items*, not lines: `weights[i]` is how many
 * items line i stands for (1 for a resource line, 0 for a group heading). Without weights every line is one.
 */
export function fitCountedLines(
  lines: readonly string[],
  weights: readonly number[] | undefined,
  maxChars: number,
  pointer: (omitted: number) => string,
  length = joinedLength(lines),
  /** Return '' rather than a lone pointer when not one line fits. */
  noneIsEmpty = false,
): string {
  if (length <= maxChars) return lines.join('\n')
  const total = weights ? weights.reduce((a, b) => a + b, 0) : lines.length
  const reserve = pointer(total).length + 1
  if (reserve > maxChars) return ''
  const cut = takeLines(lines, maxChars - reserve)
  let omitted = 0
  if (weights) for (let i = cut.kept; i < lines.length; i++) omitted += weights[i] ?? 0
  else omitted = cut.omitted
  if (cut.kept === 0 && noneIsEmpty) return ''
  return cut.kept === 0 ? pointer(omitted) : `${cut.text}\n${pointer(omitted)}`
}
