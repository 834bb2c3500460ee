/** The hidden first line of a plan-and-comment comment (see CONTRIBUTING.md "Hidden markers"). */
export const MARKER_PREFIX = '<!-- tfpipe:plan-and-comment '

export interface MarkerFields {
  environment: string
  directory: string
  /** sha256 hex of the change set, or '' when the plan could not be read. */
  fingerprint: string
}

export function formatMarker(fields: MarkerFields): string {
  return `${MARKER_PREFIX}env=${encodeURIComponent(fields.environment)} dir=${encodeURIComponent(fields.directory)} fingerprint=${fields.fingerprint} -->`
}

/** Reads the marker from the FIRST line of a comment body; undefined when the body is not ours. */
export function parseMarker(body: string | null | undefined): MarkerFields | undefined {
  if (!body?.startsWith(MARKER_PREFIX)) return undefined
  const end = body.indexOf('\n')
  const line = end === -1 ? body : body.slice(0, end)
  const m = /^<!-- tfpipe:plan-and-comment env=(\S*) dir=(\S*) fingerprint=([0-9a-f]*) -->\r?$/.exec(line)
  if (!m) return undefined
  try {
    return {
      environment: decodeURIComponent(m[1]!),
      directory: decodeURIComponent(m[2]!),
      fingerprint: m[3]!,
    }
  } catch {
    return undefined
  }
}

/** True when `body` is the comment of this environment and directory. */
export function isMarkerFor(body: string | null | undefined, environment: string, directory: string): boolean {
  const fields = parseMarker(body)
  return fields?.environment === environment && fields.directory === directory
}
