import { ConfigurationError } from '@tfpipe/kit/errors.js'

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 }

/**
 * The start of the window: `30d`, `12h`, `2w`, `90m` before `now`, or an ISO 8601 date/instant
 * (`2026-11-01`, `2026-11-01T00:00:00Z`). At most a year back: GitHub keeps the history, but a longer
 * window costs pages without changing a trend.
 */
export function parseSince(raw: string, now: Date, name = 'since'): Date {
  const text = raw.trim()
  const rel = /^(\d+)\s*([mhdw])$/i.exec(text)
  let since: Date
  if (rel) {
    since = new Date(now.getTime() - Number(rel[1]) * UNITS[rel[2]!.toLowerCase()]!)
  } else if (/^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text) && !Number.isNaN(Date.parse(text))) {
    since = new Date(Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text))
  } else {
    throw new ConfigurationError(
      `${name} must be a duration such as 30d, 12h or 2w, or a date such as 2026-11-01; got '${raw}'.`,
    )
  }
  if (since.getTime() >= now.getTime())
    throw new ConfigurationError(`${name} '${raw}' is not in the past; give e.g. 30d.`)
  if (now.getTime() - since.getTime() > 366 * UNITS.d!)
    throw new ConfigurationError(`${name} '${raw}' reaches back more than a year; give at most 366d.`)
  return since
}
