/**
 * Safe rendering of untrusted text (addresses, values, plan text) into GitHub-flavoured markdown.
 *
 * Rules:
 *  - outside code, HTML is escaped (`<`, `>`, `&`), so `</details>`, `<!--` or `<img>` in a plan stay text;
 *  - outside code, `@name` and `@org/team` are neutralised with a zero-width joiner after the `@`, so a plan
 *    cannot ping anyone (GitHub does not resolve mentions inside code spans or code blocks either);
 *  - inline code and fenced blocks use a backtick run longer than any run inside the text, so the text
 *    cannot close them early.
 */

export const ZWJ = '\u200d'

/** Inserts a zero-width joiner after every `@` that could start a mention (`@user`, `@org/team`). */
export function neutralizeMentions(text: string): string {
  return text.replace(/@(?=[A-Za-z0-9_-])/g, `@${ZWJ}`)
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }

/** Escapes HTML specials. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => HTML_ESCAPES[c]!)
}

/**
 * Text for a markdown paragraph, list item or `<summary>`: one line, HTML escaped, markdown
 * punctuation that could start emphasis/links/code escaped, mentions neutralised.
 */
export function escapeText(text: string): string {
  const oneLine = text.replace(/\r?\n|\r/g, ' ')
  return neutralizeMentions(escapeHtml(oneLine).replace(/([\\`*_[\]|~#!])/g, '\\$1'))
}

function longestRun(text: string, ch: string): number {
  let longest = 0
  let current = 0
  for (const c of text) {
    if (c === ch) {
      current++
      if (current > longest) longest = current
    } else current = 0
  }
  return longest
}

/**
 * An inline code span holding `text` verbatim: one line, fenced by more backticks than any run inside,
 * padded with a space when the text starts or ends with a backtick. Line breaks become `␤` and long text
 * is cut with `…` at `maxLength`. (Not for table cells: a `|` inside would still split the cell.)
 */
export function inlineCode(text: string, maxLength = 300): string {
  let oneLine = text.includes('\n') || text.includes('\r') ? text.replace(/\r?\n|\r/g, '␤') : text
  if (oneLine.length > maxLength) oneLine = `${oneLine.slice(0, maxLength - 1)}…`
  if (oneLine === '') return '` `'
  if (!oneLine.includes('`')) return `\`${oneLine}\``
  const fence = '`'.repeat(longestRun(oneLine, '`') + 1)
  const pad =
    oneLine.startsWith('`') || oneLine.endsWith('`') || (oneLine.startsWith(' ') && oneLine.endsWith(' ')) ? ' ' : ''
  return `${fence}${pad}${oneLine}${pad}${fence}`
}

/** The fence (at least three backticks) a fenced block needs so no line of `text` can close it. */
export function fenceFor(text: string): string {
  return '`'.repeat(Math.max(3, longestRun(text, '`') + 1))
}

/** A fenced code block holding `text` verbatim. */
export function codeBlock(text: string, language = ''): string {
  const fence = fenceFor(text)
  const body = text.endsWith('\n') ? text : `${text}\n`
  return `${fence}${language}\n${body}${fence}`
}
