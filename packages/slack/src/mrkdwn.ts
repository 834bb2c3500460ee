/**
 * Safe text for Slack. Everything that comes from outside (details, environment names, actor,
 * addresses, reasons) goes through `escapeMrkdwn`: with `&`, `<` and `>` escaped, Slack parses no
 * link, no `<!channel>`, no `<@U…>` and no `<!subteam^…>` out of it. Mentions come only from the
 * `mention` input (see `parseMention`).
 */

const ZWSP = '\u200b'

/** Drops control characters (keeps newlines and tabs). */
function stripControl(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
}

export function escapeMrkdwn(value: string): string {
  return (
    stripControl(value)
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      // Legacy `link_names` parsing turns bare @channel/@here/@everyone into a broadcast: break them.
      .replace(/@(channel|here|everyone)\b/gi, `@${ZWSP}$1`)
  )
}

/**
 * Text for a `plain_text` object. Slack shows it as is, but a zero-width space after `<` keeps
 * mention syntax (`<!channel>`, `<@U…>`) inert even if a client ever parsed it.
 */
export function plainText(value: string): string {
  return stripControl(value)
    .replace(/\s+/g, ' ')
    .replace(/<([!@#])/g, `<${ZWSP}$1`)
    .trim()
}

/** Cuts plain text to `max` characters, ending with an ellipsis when it cut. */
export function truncate(value: string, max: number): string {
  if (value.length <= max) return value
  if (max <= 1) return value.slice(0, Math.max(0, max))
  // Do not split a surrogate pair.
  let cut = max - 1
  const code = value.charCodeAt(cut - 1)
  if (code >= 0xd800 && code <= 0xdbff) cut--
  return `${value.slice(0, cut)}…`
}

/** Escapes then fits into `max` characters: the cut is made on the raw text, never inside an entity. */
export function fitEscaped(raw: string, max: number): string {
  let escaped = escapeMrkdwn(raw)
  if (escaped.length <= max) return escaped
  let keep = Math.min(raw.length, max)
  for (;;) {
    escaped = escapeMrkdwn(truncate(raw, keep))
    if (escaped.length <= max || keep <= 1) return escaped.length <= max ? escaped : ''
    keep -= Math.max(1, escaped.length - max)
  }
}

/** Inline code: backticks inside would end the span, so they become single quotes. */
export function code(raw: string, max = 300): string {
  return `\`${fitEscaped(raw.replace(/`/g, "'"), max)}\``
}

/**
 * A URL safe to put in a button or a `<url|label>` link: http(s) only, no characters that end a
 * Slack link. Returns undefined for anything else (javascript:, mailto:, garbage, over-long).
 */
export function safeUrl(raw: unknown, max = 3000): string | undefined {
  if (typeof raw !== 'string' || raw.trim() === '') return undefined
  let url: URL
  try {
    url = new URL(raw.trim())
  } catch {
    return undefined
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined
  if (url.username || url.password) return undefined
  const href = url.href.replace(/\|/g, '%7C').replace(/</g, '%3C').replace(/>/g, '%3E')
  return href.length <= max ? href : undefined
}

/** `<url|label>` when the URL is safe, otherwise the escaped label alone. */
export function link(url: string | undefined, label: string, maxLabel = 200): string {
  const safe = safeUrl(url, 2000)
  const text = fitEscaped(label.replace(/\|/g, '¦'), maxLabel)
  return safe ? `<${safe.replace(/&/g, '&amp;')}|${text}>` : text
}

/**
 * Joins lines into at most `max` characters; what does not fit is replaced by `…and N more`
 * (with `noun` when given). Lines are already mrkdwn-safe. A single over-long line is cut.
 */
export function fitLines(lines: readonly string[], max: number, noun = ''): string {
  const more = (n: number): string => `…and ${n} more${noun ? ` ${noun}` : ''}`
  const out: string[] = []
  let used = 0
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    const after = lines.length - i - 1
    const tail = after > 0 ? 1 + more(after).length : 0
    const sep = out.length > 0 ? 1 : 0
    if (used + sep + line.length + tail <= max) {
      out.push(line)
      used += sep + line.length
      continue
    }
    if (out.length === 0) {
      // Not even the first line fits: show a cut of it.
      out.push(cutMrkdwn(line, Math.max(1, max - tail)))
      if (after > 0) out.push(more(after))
    } else {
      // The previous step left room for this suffix.
      out.push(more(lines.length - i))
    }
    return out.join('\n')
  }
  return out.join('\n')
}

/** Cuts already-escaped mrkdwn without splitting an entity or leaving a link or code span open. */
export function cutMrkdwn(text: string, max: number): string {
  if (text.length <= max) return text
  let cut = text.slice(0, Math.max(0, max - 1))
  const amp = cut.lastIndexOf('&')
  if (amp !== -1 && !cut.slice(amp).includes(';')) cut = cut.slice(0, amp)
  const open = cut.lastIndexOf('<')
  if (open !== -1 && !cut.slice(open).includes('>')) cut = cut.slice(0, open)
  if ((cut.match(/`/g) ?? []).length % 2 === 1) cut = cut.slice(0, cut.lastIndexOf('`'))
  return `${cut}…`
}

const MENTION = /^<(@[UW][A-Z0-9]+|!subteam\^[A-Z0-9]+(\|[^<>|]*)?|!here|!channel|!everyone|#C[A-Z0-9]+)>$/

/**
 * The `mention` input: Slack mention syntax (`<@U123>`, `<!subteam^S123>`, `<!here>`), several
 * separated by spaces or commas. Bare IDs are accepted and wrapped (U…/W… users, S… user groups).
 * Returns undefined for anything else, so a typo cannot become free text in the message.
 */
export function parseMention(raw: string): string[] | undefined {
  const parts = raw.split(/[\s,]+/).filter((p) => p !== '')
  const out: string[] = []
  for (const part of parts) {
    if (MENTION.test(part)) out.push(part)
    else if (/^[UW][A-Z0-9]{2,}$/.test(part)) out.push(`<@${part}>`)
    else if (/^S[A-Z0-9]{2,}$/.test(part)) out.push(`<!subteam^${part}>`)
    else if (/^@?(here|channel|everyone)$/.test(part)) out.push(`<!${part.replace(/^@/, '')}>`)
    else return undefined
  }
  return out
}
