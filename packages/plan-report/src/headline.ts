/** The fixed lines of a rendered plan: title, summary line, where the full plan is, footer. */
import type { PlanModel } from '@tfpipe/terraform/model.js'
import { escapeHtml, escapeText, inlineCode } from '@tfpipe/markdown/escape.js'
import { planLineOf, replacementNote } from './counts.js'
import type { PreparedPlan, RenderOptions } from './prepared.js'

export function tool(binary: string | undefined): string {
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
  const where = [
    options.environment ? inlineCode(options.environment, 80) : '',
    inlineCode(options.directory || '.', 200),
  ]
    .filter(Boolean)
    .join(' · ')
  return `### ${icon} ${tool(options.binary)} plan: ${where}`
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`
}

export function summaryLine(prepared: PreparedPlan, binary: string | undefined): string[] {
  const { model } = prepared
  const c = model.counts
  const lines: string[] = []
  if (model.errored) {
    lines.push(
      `❌ **${tool(binary)} reported an error while planning: this plan is incomplete and cannot be applied.** See the workflow log.`,
    )
  }
  const resourceChanges = c.add + c.change + c.destroy + c.replace + c.import + c.forget > 0
  const extras: string[] = []
  if (c.move > 0) extras.push(`🚚 ${c.move} moved`)
  if (c.drift > 0) extras.push(`🌀 ${c.drift} changed outside of ${tool(binary)}`)
  if (c.outputs > 0) extras.push(`📤 ${c.outputs} output ${c.outputs === 1 ? 'change' : 'changes'}`)
  if (c.read > 0) extras.push(`📖 ${c.read} to read`)
  if (resourceChanges) {
    const note = replacementNote(c)
    lines.push(
      `**${planLineOf(c)}**${note ? ` — ${note} (♻️ ${c.replace})` : ''}${extras.length ? ` · ${extras.join(' · ')}` : ''}`,
    )
  } else {
    const what =
      c.outputs > 0 ? 'no resource changes, only output values change' : 'your infrastructure matches the configuration'
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
  if (links.artifactUrl)
    return `full plan: ${inlineCode(file ?? 'plan.txt')} in artifact [${escapeText(links.artifactName ?? 'plan')}](${links.artifactUrl})`
  if (links.artifactName)
    return `full plan: ${inlineCode(file ?? 'plan.txt')} in artifact ${inlineCode(links.artifactName)}`
  if (options.target !== 'summary' && links.summary?.complete)
    return `full plan in the ${links.runUrl ? `[job summary](${links.runUrl})` : 'job summary'}`
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
  parts.push(
    s.omittedResources > 0 ? `every list but ${plural(s.omittedResources, 'resource', 'resources')}` : 'every resource',
  )
  if (s.planLinesTotal > 0)
    parts.push(`${s.planLinesShown.toLocaleString('en-US')} of ${s.planLinesTotal.toLocaleString('en-US')} plan lines`)
  return `${where}: ${parts.join(', ')} (cut at GitHub's 1 MiB limit).`
}

export function footerLine(model: PlanModel, options: RenderOptions): string {
  const links = options.links ?? {}
  const parts = [`fingerprint ${inlineCode(model.fingerprint.slice(0, 16) || 'none')}`]
  if (links.runUrl) parts.push(`[workflow run](${links.runUrl})`)
  if (links.artifactUrl) parts.push(`[plan artifact](${links.artifactUrl})`)
  parts.push(`${escapeHtml(tool(options.binary))} ${escapeHtml(model.terraformVersion || '')}`.trim())
  const holds = summaryHolds(options)
  return `<sub>${parts.join(' · ')}</sub>${holds ? `\n<sub>${holds}</sub>` : ''}`
}
