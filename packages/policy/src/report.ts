import type { CheckResult, Verdict } from './types.js'

const ICON: Record<CheckResult['status'], string> = {
  pass: '✅ pass',
  fail: '❌ fail',
  warn: '⚠️ warn',
  skip: '➖ skip',
}

/** Escapes text for a markdown table cell. */
export function cell(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/\r?\n/g, '<br>')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
}

/** The verdict as markdown: headline, override banner, a table (check, result, detail), then details. */
export function renderReport(verdict: Verdict, options: { maxDetailLines?: number } = {}): string {
  const maxLines = options.maxDetailLines ?? 50
  const lines: string[] = []
  const overridden = verdict.warnings.filter((w) => w.overridden)
  lines.push(
    verdict.allowed
      ? `### ✅ safety-gate: deploy to \`${verdict.environment}\` allowed${overridden.length ? ' by EMERGENCY OVERRIDE' : ''}`
      : `### ❌ safety-gate: deploy to \`${verdict.environment}\` refused (${verdict.violations.length} violation${verdict.violations.length === 1 ? '' : 's'})`,
  )
  lines.push('')
  if (verdict.override) {
    if (verdict.override.applied) {
      lines.push(`> [!CAUTION]`)
      lines.push(`> **Emergency override** — reason: ${cell(verdict.override.reason)}`)
      lines.push(
        `> ${overridden.length} violation(s) turned into warnings: ${overridden.map((o) => o.check).join(', ') || 'none'}.`,
      )
    } else {
      lines.push(`> [!WARNING]`)
      lines.push(
        `> An override reason was given (${cell(verdict.override.reason)}) but this environment's policy does not allow overrides.`,
      )
    }
    lines.push('')
  }
  lines.push('| Check | Result | Detail |', '| --- | --- | --- |')
  for (const r of verdict.results) {
    const status = r.status === 'fail' && overridden.some((o) => o.check === r.check) ? '⚠️ overridden' : ICON[r.status]
    lines.push(`| ${r.check} | ${status} | ${cell(r.message)} |`)
  }
  const withDetails = verdict.results.filter(
    (r) => r.status !== 'pass' && r.status !== 'skip' && (r.details?.length ?? 0) > 0,
  )
  for (const r of withDetails) {
    const details = r.details ?? []
    lines.push('', `<details open><summary><b>${r.check}</b></summary>`, '', '```text')
    for (const d of details.slice(0, maxLines)) lines.push(d.replace(/```/g, "'''"))
    if (details.length > maxLines) lines.push(`… and ${details.length - maxLines} more`)
    lines.push('```', '', '</details>')
  }
  return `${lines.join('\n')}\n`
}

/** Plain-text verdict for the CLI. */
export function renderText(verdict: Verdict): string {
  const lines: string[] = []
  lines.push(`${verdict.allowed ? 'ALLOWED' : 'REFUSED'}: deploy to ${verdict.environment}`)
  if (verdict.override?.applied) lines.push(`EMERGENCY OVERRIDE: ${verdict.override.reason}`)
  for (const r of verdict.results) {
    const overridden = r.status === 'fail' && verdict.warnings.some((w) => w.overridden && w.check === r.check)
    lines.push(
      `  ${(overridden ? 'OVERRIDDEN' : r.status.toUpperCase()).padEnd(10)} ${r.check.padEnd(14)} ${r.message}`,
    )
    if (r.status !== 'pass' && r.status !== 'skip') for (const d of r.details ?? []) lines.push(`${' '.repeat(28)}${d}`)
  }
  for (const w of verdict.warnings.filter((x) => x.check === 'override')) lines.push(`  WARNING    ${w.message}`)
  return `${lines.join('\n')}\n`
}
