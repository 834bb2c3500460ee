export const EVENTS = [
  'plan-ready',
  'approval-required',
  'deploy-started',
  'deploy-succeeded',
  'deploy-failed',
  'verification-failed',
  'rollback-started',
  'rollback-succeeded',
  'rollback-failed',
  'drift-detected',
  'drift-resolved',
  'stale-lock',
  'gate-overridden',
] as const

export type SlackEvent = (typeof EVENTS)[number]

/** failure: something broke; attention: a human should look; info/success: for the record. */
export type Severity = 'info' | 'success' | 'attention' | 'failure'

export interface EventStyle {
  icon: string
  title: string
  severity: Severity
}

export const EVENT_STYLES: Record<SlackEvent, EventStyle> = {
  'plan-ready': { icon: ':memo:', title: 'Plan ready for review', severity: 'info' },
  'approval-required': { icon: ':hourglass_flowing_sand:', title: 'Approval required', severity: 'attention' },
  'deploy-started': { icon: ':rocket:', title: 'Deploy started', severity: 'info' },
  'deploy-succeeded': { icon: ':white_check_mark:', title: 'Deploy succeeded', severity: 'success' },
  'deploy-failed': { icon: ':x:', title: 'Deploy failed', severity: 'failure' },
  'verification-failed': { icon: ':x:', title: 'Verification failed', severity: 'failure' },
  'rollback-started': { icon: ':rewind:', title: 'Rollback started', severity: 'attention' },
  'rollback-succeeded': { icon: ':leftwards_arrow_with_hook:', title: 'Rollback succeeded', severity: 'success' },
  'rollback-failed': { icon: ':rotating_light:', title: 'Rollback failed', severity: 'failure' },
  'drift-detected': { icon: ':warning:', title: 'Drift detected', severity: 'attention' },
  'drift-resolved': { icon: ':large_green_circle:', title: 'Drift resolved', severity: 'success' },
  'stale-lock': { icon: ':lock:', title: 'Stale state lock', severity: 'attention' },
  'gate-overridden': { icon: ':unlock:', title: 'Safety gate overridden', severity: 'attention' },
}

/** The `mention` input is added to failures and to events that need a human. */
export function mentionsFor(event: SlackEvent): boolean {
  const s = EVENT_STYLES[event].severity
  return s === 'failure' || s === 'attention'
}
