/**
 * Turns terraform's human plan (`terraform show -no-color`) into text a ```diff block highlights:
 * the change marker moves to column 0, where the diff grammar looks for it.
 *
 *   `  + foo = 1`      -> `+   foo = 1`        (create / added attribute: green)
 *   `  - foo = 1`      -> `-   foo = 1`        (destroy / removed attribute: red)
 *   `  ~ foo = 1 -> 2` -> `!   foo = 1 -> 2`   (update in place: `!` is highlighted as a change)
 *   `-/+ resource`     -> kept: it already starts at column 0 with `-` (red); `+/-` likewise (green)
 * Other lines are indented by two so nothing else is mistaken for a marker.
 */
const MARKER = /^(\s*)(-\/\+|\+\/-|[+\-~])( |$)/

export function planLineToDiff(line: string): string {
  // fast path: after the leading spaces, a printable ASCII character that is not a marker cannot match
  let j = 0
  while (j < line.length && line.charCodeAt(j) === 32) j++
  const c = line.charCodeAt(j)
  if (c > 32 && c < 127 && c !== 43 && c !== 45 && c !== 126) return `  ${line}`
  const m = MARKER.exec(line)
  if (!m) return line === '' ? '' : `  ${line}`
  const indent = m[1]!
  const marker = m[2]!
  const rest = line.slice(m[0].length)
  if (marker.length > 1) return indent === '' ? line : `${marker[0]}${indent.slice(1)}${marker} ${rest}`
  const sign = marker === '~' ? '!' : marker
  return `${sign} ${indent}${rest}`.trimEnd()
}

/** Converts a whole plan text; returns the converted lines (no trailing empty line). */
export function planTextToDiffLines(text: string): string[] {
  const lines = text.includes('\r') ? text.split(/\r?\n/) : text.split('\n')
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop()
  let start = 0
  while (start < lines.length && lines[start]!.trim() === '') start++
  if (start > 0) lines.splice(0, start)
  const out = new Array<string>(lines.length)
  for (let i = 0; i < lines.length; i++) out[i] = planLineToDiff(lines[i]!)
  return out
}
