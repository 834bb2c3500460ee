/** One markdown line per resource, output and drifted object: reasons, changed attributes, module groups. */
import type { JsonValue } from '@tfpipe/terraform/plan-json.js'
import type { OutputEntry, PlanModel, ResourceEntry } from '@tfpipe/terraform/model.js'
import { inlineCode } from '@tfpipe/markdown/escape.js'

const REASONS: Record<string, string> = {
  replace_because_tainted: 'tainted',
  replace_because_cannot_update: 'cannot be updated in place',
  replace_by_request: 'replacement requested with -replace',
  replace_by_triggers: 'replace_triggered_by changed',
  delete_because_no_resource_config: 'removed from the configuration',
  delete_because_no_module: 'its module was removed from the configuration',
  delete_because_wrong_repetition: 'count/for_each changed shape',
  delete_because_count_index: 'index no longer in count',
  delete_because_each_key: 'key no longer in for_each',
  delete_because_no_move_target: 'moved block target does not exist',
  read_because_config_unknown: 'configuration known only after apply',
  read_because_dependency_pending: 'depends on a pending change',
  read_because_check_nested: 'used by a check block',
}

function reasonOf(entry: ResourceEntry): string {
  const parts: string[] = []
  if (entry.replacePaths.length > 0) {
    const paths = entry.replacePaths.slice(0, 5).map((p) => inlineCode(p, 80))
    const more = entry.replacePaths.length > 5 ? ` and ${entry.replacePaths.length - 5} more` : ''
    parts.push(`${paths.join(', ')}${more} ${entry.replacePaths.length === 1 ? 'forces' : 'force'} replacement`)
  }
  if (entry.actionReason) {
    const text = REASONS[entry.actionReason]
    if (!(entry.actionReason === 'replace_because_cannot_update' && entry.replacePaths.length > 0)) {
      parts.push(text ?? inlineCode(entry.actionReason, 80))
    }
  }
  if (entry.kind === 'delete' && parts.length === 0)
    parts.push('removed from the configuration or planned with -destroy')
  return parts.join('; ')
}

/** A compact, redacted value for inline display. Values in the model are already redacted. */
export function formatValue(value: JsonValue, sensitive = false): string {
  if (sensitive) return '(sensitive)'
  if (value === '(sensitive)' || value === '(known after apply)') return value
  if (value === null) return 'null'
  return JSON.stringify(value)
}

function changedAttrs(entry: ResourceEntry): string {
  if (entry.changedAttributes.length === 0) return ''
  const shown = entry.changedAttributes.slice(0, 8).map((a) => inlineCode(a, 60))
  const more = entry.changedAttributes.length > 8 ? ` +${entry.changedAttributes.length - 8} more` : ''
  return ` — ${shown.join(', ')}${more}`
}

export function resourceLine(entry: ResourceEntry, indent: string): string {
  let line = `${indent}- ${inlineCode(entry.address)}`
  if (entry.kind === 'update') line += changedAttrs(entry)
  if (entry.kind === 'replace' || entry.kind === 'delete') {
    const reason = reasonOf(entry)
    if (reason) line += ` — ${reason}`
  }
  if (entry.previousAddress && entry.previousAddress !== entry.address)
    line += ` (moved from ${inlineCode(entry.previousAddress)})`
  if (entry.importing) line += ' (imported)'
  return line
}

/** List lines grouped by module: root resources first, then one sub-list per module. */
export function groupedLines(
  entries: readonly ResourceEntry[],
  line: (e: ResourceEntry, indent: string) => string,
): string[] {
  const byModule = new Map<string, ResourceEntry[]>()
  for (const e of entries) {
    const list = byModule.get(e.moduleAddress)
    if (list) list.push(e)
    else byModule.set(e.moduleAddress, [e])
  }
  if (byModule.size === 1 && byModule.has('')) return entries.map((e) => line(e, ''))
  const out: string[] = []
  const root = byModule.get('')
  if (root) for (const e of root) out.push(line(e, ''))
  for (const [mod, list] of byModule) {
    if (mod === '') continue
    out.push(`- 📦 ${inlineCode(mod)} (${list.length})`)
    for (const e of list) out.push(line(e, '  '))
  }
  return out
}

/** Destroys first, then replacements: the riskiest changes lead. */
export function cautionEntries(model: PlanModel): { deletes: ResourceEntry[]; replaces: ResourceEntry[] } {
  const deletes: ResourceEntry[] = []
  const replaces: ResourceEntry[] = []
  for (const e of model.resources) {
    if (e.kind === 'delete') deletes.push(e)
    else if (e.kind === 'replace') replaces.push(e)
  }
  return { deletes, replaces }
}

export function cautionLine(e: ResourceEntry): string {
  const reason = reasonOf(e)
  const extra = `${e.previousAddress && e.previousAddress !== e.address ? ` (moved from ${inlineCode(e.previousAddress)})` : ''}${e.importing ? ' (imported)' : ''}`
  return e.kind === 'replace'
    ? `> - ♻️ **replace** ${inlineCode(e.address)}${reason ? ` — ${reason}` : ''}${extra}`
    : `> - 🗑️ **destroy** ${inlineCode(e.address)} — ${reason}${extra}`
}

export function outputLine(o: OutputEntry): string {
  const icon = o.kind === 'create' ? '➕' : o.kind === 'delete' ? '🗑️' : '✏️'
  const before = formatValue(o.before, o.sensitive)
  const after = formatValue(o.after, o.sensitive)
  const change =
    o.kind === 'create'
      ? inlineCode(after, 120)
      : o.kind === 'delete'
        ? `~~${inlineCode(before, 120)}~~`
        : `${inlineCode(before, 120)} → ${inlineCode(after, 120)}`
  return `- ${icon} ${inlineCode(o.name, 100)}: ${change}`
}

export function driftLine(e: ResourceEntry, indent: string): string {
  const what = e.kind === 'delete' ? ' — deleted' : e.kind === 'create' ? ' — created' : changedAttrs(e)
  return `${indent}- ${inlineCode(e.address)}${what}`
}
