import { SEVERITIES, type Severity } from './types.js'

/** The parts of SARIF 2.1.0 that tfsec, checkov and trivy write and we read. */
export interface SarifRule {
  id: string
  name?: string
  shortDescription?: { text?: string }
  properties?: { 'security-severity'?: string | number; tags?: unknown[]; severity?: string; [key: string]: unknown }
  defaultConfiguration?: { level?: string }
}
export interface SarifResult {
  ruleId?: string
  ruleIndex?: number
  level?: 'none' | 'note' | 'warning' | 'error'
  message?: { text?: string }
  locations?: { physicalLocation?: { artifactLocation?: { uri?: string }; region?: { startLine?: number } } }[]
  properties?: { 'security-severity'?: string | number; severity?: string; tags?: unknown[]; [key: string]: unknown }
  suppressions?: unknown[]
}
export interface SarifLog {
  version?: string
  runs?: { tool?: { driver?: { name?: string; rules?: SarifRule[] } }; results?: SarifResult[] }[]
}

export interface SecurityFinding {
  tool: string
  rule: string
  severity: Severity
  message: string
  file: string
  line?: number
}

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s)
}

/** CVSS-style score -> severity, as GitHub code scanning maps `security-severity`. */
function fromScore(score: number): Severity {
  if (score >= 9) return 'critical'
  if (score >= 7) return 'high'
  if (score >= 4) return 'medium'
  if (score > 0) return 'low'
  return 'info'
}

function fromWord(word: string | undefined): Severity | undefined {
  switch ((word ?? '').toLowerCase()) {
    case 'critical':
      return 'critical'
    case 'high':
    case 'error':
      return 'high'
    case 'medium':
    case 'moderate':
      return 'medium'
    case 'low':
      return 'low'
    case 'info':
    case 'informational':
    case 'unknown':
      return 'info'
    default:
      return undefined
  }
}

/**
 * Severity of one result, most specific first: `security-severity` (result, then rule), a severity
 * word in properties or tags (trivy tags rules with CRITICAL/HIGH/...), then the SARIF level
 * (error -> high, warning -> medium, note -> low, none -> info).
 */
export function resultSeverity(result: SarifResult, rule: SarifRule | undefined): Severity {
  for (const raw of [result.properties?.['security-severity'], rule?.properties?.['security-severity']]) {
    const score = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number.parseFloat(raw) : Number.NaN
    if (Number.isFinite(score)) return fromScore(score)
  }
  for (const word of [result.properties?.severity, rule?.properties?.severity]) {
    const s = fromWord(typeof word === 'string' ? word : undefined)
    if (s) return s
  }
  for (const tags of [result.properties?.tags, rule?.properties?.tags]) {
    for (const tag of tags ?? []) {
      if (typeof tag !== 'string') continue // a scanner's tags are free-form JSON
      if (['critical', 'high', 'medium', 'low'].includes(tag.toLowerCase())) return fromWord(tag)!
    }
  }
  switch (result.level ?? rule?.defaultConfiguration?.level ?? 'warning') {
    case 'error':
      return 'high'
    case 'warning':
      return 'medium'
    case 'note':
      return 'low'
    default:
      return 'info'
  }
}

/** A result suppressed in the source or by the tool (SARIF `suppressions`): not a finding. */
export function isSuppressed(result: SarifResult): boolean {
  return (result.suppressions?.length ?? 0) > 0
}

/** Every unsuppressed result of every run, with rule, severity, file and line. */
export function sarifFindings(log: SarifLog): SecurityFinding[] {
  const findings: SecurityFinding[] = []
  for (const run of log.runs ?? []) {
    const tool = run.tool?.driver?.name ?? 'unknown tool'
    const rules = run.tool?.driver?.rules ?? []
    for (const result of run.results ?? []) {
      if (isSuppressed(result)) continue
      const rule =
        (result.ruleIndex !== undefined ? rules[result.ruleIndex] : undefined) ??
        rules.find((r) => r.id === result.ruleId)
      const location = result.locations?.[0]?.physicalLocation
      findings.push({
        tool,
        rule: result.ruleId ?? rule?.id ?? '(no rule id)',
        severity: resultSeverity(result, rule),
        message: (result.message?.text ?? rule?.shortDescription?.text ?? '').split('\n')[0] ?? '',
        file: location?.artifactLocation?.uri ?? '(no file)',
        ...(location?.region?.startLine !== undefined ? { line: location.region.startLine } : {}),
      })
    }
  }
  return findings
}
