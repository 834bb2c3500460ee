import type { Day } from './types.js'

/** The wall-clock fields of an instant in an IANA time zone, computed by Intl (DST-correct). */
export interface LocalTime {
  date: string // YYYY-MM-DD
  monthDay: string // MM-DD
  day: Day
  minutes: number // minutes since local midnight
  text: string // "2026-03-29 03:30 Sun (Europe/Berlin)"
}

const WEEKDAYS: Record<string, Day> = {
  Mon: 'mon',
  Tue: 'tue',
  Wed: 'wed',
  Thu: 'thu',
  Fri: 'fri',
  Sat: 'sat',
  Sun: 'sun',
}
const formatters = new Map<string, Intl.DateTimeFormat>()

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone })
    return true
  } catch {
    return false
  }
}

export function localTime(instant: Date, timeZone: string): LocalTime {
  let fmt = formatters.get(timeZone)
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
    formatters.set(timeZone, fmt)
  }
  const parts: Record<string, string> = {}
  for (const p of fmt.formatToParts(instant)) parts[p.type] = p.value
  const hour = Number(parts.hour) % 24
  const minute = Number(parts.minute)
  const date = `${parts.year}-${parts.month}-${parts.day}`
  const day = WEEKDAYS[parts.weekday ?? ''] ?? 'mon'
  const hh = String(hour).padStart(2, '0')
  const mm = String(minute).padStart(2, '0')
  return {
    date,
    monthDay: `${parts.month}-${parts.day}`,
    day,
    minutes: hour * 60 + minute,
    text: `${date} ${hh}:${mm} ${parts.weekday} (${timeZone})`,
  }
}

const DAY_ORDER: Day[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']

/** The local calendar day before `local` (its last minute), by calendar arithmetic (no DST pitfalls). */
export function previousDay(local: LocalTime): LocalTime {
  const [y, m, d] = local.date.split('-').map(Number) as [number, number, number]
  const prev = new Date(Date.UTC(y, m - 1, d - 1))
  const date = prev.toISOString().slice(0, 10)
  return {
    date,
    monthDay: date.slice(5),
    day: DAY_ORDER[prev.getUTCDay()]!,
    minutes: 1439,
    text: `${date} (previous day)`,
  }
}

/** "HH:MM" -> minutes since midnight ("24:00" -> 1440). */
export function clockMinutes(clock: string): number {
  const [h, m] = clock.split(':')
  return Number(h) * 60 + Number(m)
}

/** Durations such as 30m, 2h, 1d, 1h30m or a bare number of seconds; milliseconds, or undefined if malformed. */
