/** The policy file as written (after YAML parsing and schema validation). Keys mirror schemas/policy.schema.json. */
export type Day = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun'
export const DAYS: readonly Day[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']

export type OnProblem = 'fail' | 'warn'
export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info'
export const SEVERITIES: readonly Severity[] = ['info', 'low', 'medium', 'high', 'critical']

export type CheckName =
  | 'destroy'
  | 'protected'
  | 'confirmation'
  | 'ticket'
  | 'windows'
  | 'freezes'
  | 'approvals'
  | 'promotion'
  | 'reviewed-plan'
  | 'plan-age'
  | 'cost'
  | 'security'
  | 'verification'

export const CHECK_NAMES: readonly CheckName[] = [
  'destroy',
  'protected',
  'confirmation',
  'ticket',
  'windows',
  'freezes',
  'approvals',
  'promotion',
  'reviewed-plan',
  'plan-age',
  'cost',
  'security',
  'verification',
]

export interface WindowRule {
  days: Day[]
  start?: string
  end?: string
  name?: string
}

export interface FreezeRule {
  from?: string
  to?: string
  days?: Day[]
  start?: string
  end?: string
  reason: string
}

export interface EnvironmentPolicy {
  timezone?: string
  destroy?: { max?: number }
  protected?: { addresses?: string[]; types?: string[]; 'override-label'?: string }
  confirmation?: string
  'confirmation-events'?: string[]
  ticket?: { required?: boolean; pattern?: string; 'verify-url'?: string; timeout?: string }
  windows?: WindowRule[]
  freezes?: FreezeRule[]
  approvals?: {
    'required-reviewers'?: number
    'prevent-self-review'?: boolean
    'branch-policy'?: boolean
    'on-unreadable'?: OnProblem
  }
  promotion?: { requires?: string[] }
  'reviewed-plan'?: { required?: boolean; 'on-missing'?: OnProblem }
  'plan-age'?: { max?: string }
  cost?: { 'max-monthly-increase'?: number; 'max-percent-increase'?: number; currency?: string }
  security?: { 'fail-on'?: Severity; required?: boolean }
  /** After the apply (terraform-apply.yml's verify-command): may the dispatcher skip it, and is a failed verification rolled back automatically. */
  verification?: { 'skip-allowed'?: boolean; 'auto-rollback'?: boolean }
  override?: { allowed?: boolean; except?: CheckName[]; protected?: boolean }
}

export interface PolicyDocument {
  version?: 1
  defaults?: EnvironmentPolicy
  environments: Record<string, EnvironmentPolicy>
}

/** Result of one check. `fail` is a violation; `warn` is shown but does not block. */
export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip'

export interface CheckResult {
  check: CheckName
  status: CheckStatus
  /** One line for the summary table. */
  message: string
  /** Extra lines: addresses, rules, differences. */
  details?: string[]
}

export interface Finding {
  /** The check, or 'override' for the note that an override reason was ignored. */
  check: CheckName | 'override'
  message: string
  details: string[]
  /** Set on warnings that were violations turned into warnings by an emergency override. */
  overridden?: boolean
}

export interface Verdict {
  environment: string
  allowed: boolean
  results: CheckResult[]
  violations: Finding[]
  warnings: Finding[]
  /** The override reason when an emergency override was applied. */
  override?: { reason: string; applied: boolean; notOverridable: CheckName[] }
}
