/** The ❌ comment (or summary) for a plan that could not be read at all. */
import { COMMENT_BUDGET, fitCodeBlock, joinedLength } from '@tfpipe/markdown/budget.js'
import { escapeText, neutralizeMentions } from '@tfpipe/markdown/escape.js'
import { formatMarker } from './marker.js'
import { titleLine } from './headline.js'
import type { ReportLinks } from './prepared.js'
import { SEP } from './sections.js'

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
export function renderFailure(
  info: FailureInfo,
  target: 'comment' | 'summary' = 'comment',
  budget = COMMENT_BUDGET,
): string {
  const parts: string[] = []
  const head: string[] = []
  if (target === 'comment')
    head.push(
      formatMarker({ environment: info.environment, directory: info.directory, fingerprint: info.fingerprint ?? '' }),
    )
  head.push(titleLine('❌', info))
  parts.push(head.join('\n'))
  parts.push(`❌ **${escapeText(info.what)}** — there is no plan to review; the step failed.`)
  if (info.details) {
    const lines = neutralizeMentions(info.details).split(/\r?\n/)
    const block = fitCodeBlock(
      lines,
      Math.max(0, budget - joinedLength(parts) - 200),
      '',
      (n) => `*✂️ ${n} more lines in the workflow log*`,
    )
    if (block) parts.push(block)
  }
  if (info.links?.runUrl) parts.push(`<sub>[workflow run](${info.links.runUrl})</sub>`)
  return `${parts.join(SEP)}\n`
}
