import { ConfigurationError } from '@tfpipe/kit/errors.js'
import type { MetricsReport } from './compute.js'
import { renderHtml } from './html.js'
import { renderMarkdown } from './markdown.js'

/** The three forms of one report, so the CLI and the action write the same files. */
export interface RenderedReport {
  markdown: string
  json: string
  html: string
}

export function renderReport(report: MetricsReport): RenderedReport {
  return { markdown: renderMarkdown(report), json: `${JSON.stringify(report, null, 2)}\n`, html: renderHtml(report) }
}

/** `until` for a window: an ISO 8601 instant, or now. */
export function parseUntil(raw: string | undefined, now: Date, name = 'until'): Date {
  if (raw === undefined || raw.trim() === '') return now
  const t = Date.parse(raw.trim())
  if (!/^\d{4}-\d{2}-\d{2}/.test(raw.trim()) || Number.isNaN(t))
    throw new ConfigurationError(
      `${name} must be an ISO 8601 date or instant such as 2026-12-01T00:00:00Z; got '${raw}'.`,
    )
  return new Date(t)
}
