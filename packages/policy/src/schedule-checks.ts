/** The rules on time: deploy windows and freezes, in the policy's time zone (overnight ranges belong to their first day). */
import { clockMinutes, localTime, previousDay, type LocalTime } from './time.js'
import type { Check } from './gate-facts.js'
import type { Day, FreezeRule, WindowRule } from './types.js'

const DAY_NAMES: Record<Day, string> = {
  mon: 'Mon',
  tue: 'Tue',
  wed: 'Wed',
  thu: 'Thu',
  fri: 'Fri',
  sat: 'Sat',
  sun: 'Sun',
}
function describeDays(days: Day[]): string {
  return days.map((d) => DAY_NAMES[d]).join(',')
}
/** [start, end) in minutes; end 24:00 = 1440. start after end crosses midnight. */
function span(start?: string, end?: string): { from: number; to: number; overnight: boolean } {
  const from = start ? clockMinutes(start) : 0
  const to = end ? clockMinutes(end) : 1440
  return { from, to, overnight: from > to }
}

/**
 * Whether a window or freeze that applies on some days is open now. A range that crosses midnight
 * (22:00-02:00) belongs to the day it starts on: Mon 22:00-02:00 is open Mon 22:00 to Tue 01:59.
 * `appliesOn` says whether the rule applies on a local day; it is asked about today and, for the
 * hours after midnight of an overnight range, about yesterday.
 * Returns the day the open range started on, or undefined.
 */
export function openRange(
  local: LocalTime,
  start: string | undefined,
  end: string | undefined,
  appliesOn: (day: LocalTime) => boolean,
): LocalTime | undefined {
  const { from, to, overnight } = span(start, end)
  if (!overnight) return local.minutes >= from && local.minutes < to && appliesOn(local) ? local : undefined
  if (local.minutes >= from && appliesOn(local)) return local
  if (local.minutes < to) {
    const prev = previousDay(local)
    if (appliesOn(prev)) return prev
  }
  return undefined
}

function describeWindow(w: WindowRule): string {
  return `${w.name ? `${w.name}: ` : ''}${describeDays(w.days)} ${w.start ?? '00:00'}-${w.end ?? '24:00'}`
}

export const windowsCheck: Check = (policy, facts) => {
  const windows = policy.windows ?? []
  if (windows.length === 0) return { check: 'windows', status: 'skip', message: 'no deploy windows (any time)' }
  const tz = policy.timezone ?? 'UTC'
  const local = localTime(facts.now(), tz)
  for (const w of windows) {
    const opened = openRange(local, w.start, w.end, (day) => w.days.includes(day.day))
    if (opened) {
      const since = opened === local ? '' : ` (opened ${opened.date})`
      return { check: 'windows', status: 'pass', message: `${local.text} is inside ${describeWindow(w)}${since}` }
    }
  }
  return {
    check: 'windows',
    status: 'fail',
    message: `${local.text} is outside every deploy window`,
    details: windows.map((w) => `allowed: ${describeWindow(w)} (${tz})`),
  }
}

/** Whether a freeze is on: its dates (inclusive, whole local days) and days select the days, its hours [start, end) the time. */
export function activeFreeze(f: FreezeRule, local: LocalTime): boolean {
  const appliesOn = (day: LocalTime): boolean => {
    if (f.from && f.to) {
      const inRange =
        f.from.length === 10
          ? day.date >= f.from && day.date <= f.to
          : f.from <= f.to
            ? day.monthDay >= f.from && day.monthDay <= f.to
            : day.monthDay >= f.from || day.monthDay <= f.to // recurring range across the year end
      if (!inRange) return false
      return !f.days || f.days.includes(day.day)
    }
    return f.days ? f.days.includes(day.day) : false
  }
  return openRange(local, f.start, f.end, appliesOn) !== undefined
}

function describeFreeze(f: FreezeRule): string {
  const when = f.from ? `${f.from}..${f.to}` : ''
  const days = f.days ? describeDays(f.days) : ''
  const hours = f.start || f.end ? `${f.start ?? '00:00'}-${f.end ?? '24:00'}` : ''
  return [when, days, hours].filter(Boolean).join(' ')
}

export const freezesCheck: Check = (policy, facts) => {
  const freezes = policy.freezes ?? []
  if (freezes.length === 0) return { check: 'freezes', status: 'skip', message: 'no freezes' }
  const tz = policy.timezone ?? 'UTC'
  const local = localTime(facts.now(), tz)
  const active = freezes.filter((f) => activeFreeze(f, local))
  if (active.length === 0) return { check: 'freezes', status: 'pass', message: `no freeze at ${local.text}` }
  return {
    check: 'freezes',
    status: 'fail',
    message: `frozen at ${local.text}: ${active.map((f) => f.reason).join('; ')}`,
    details: active.map((f) => `${describeFreeze(f)} — ${f.reason}`),
  }
}
