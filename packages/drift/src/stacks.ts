import { existsSync, readdirSync, statSync } from 'node:fs'
import { isAbsolute, join, relative, resolve, sep } from 'node:path'
import { ConfigurationError } from '@tfpipe/kit/errors.js'

const GLOB_CHARS = /[*?[]/

/** A glob segment (`*`, `?`, `[abc]`, `[!a-z]`) as a RegExp for one path segment. */
export function segmentRegExp(segment: string): RegExp {
  let re = ''
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!
    if (c === '*') re += '[^/]*'
    else if (c === '?') re += '[^/]'
    else if (c === '[') {
      const close = segment.indexOf(']', i + 1)
      if (close === -1) re += '\\['
      else {
        let body = segment.slice(i + 1, close)
        if (body.startsWith('!')) body = `^${body.slice(1)}`
        re += `[${body.replace(/\\/g, '\\\\')}]`
        i = close
      }
    } else re += c.replace(/[.+^${}()|\\\]]/g, '\\$&')
  }
  return new RegExp(`^${re}$`)
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}

/** A directory holding Terraform configuration (`*.tf` or `*.tf.json`). */
export function hasTerraformFiles(dir: string): boolean {
  try {
    return readdirSync(dir).some((f) => f.endsWith('.tf') || f.endsWith('.tf.json'))
  } catch {
    return false
  }
}

function subdirs(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && !d.name.startsWith('.') && d.name !== 'node_modules')
      .map((d) => d.name)
  } catch {
    return []
  }
}

function expand(base: string, segments: string[], out: Set<string>): void {
  if (segments.length === 0) {
    out.add(base)
    return
  }
  const [head, ...rest] = segments as [string, ...string[]]
  if (head === '**') {
    expand(base, rest, out) // zero directories
    for (const d of subdirs(base)) expand(join(base, d), segments, out)
    return
  }
  if (!GLOB_CHARS.test(head)) {
    const next = join(base, head)
    if (isDir(next)) expand(next, rest, out)
    return
  }
  const re = segmentRegExp(head)
  for (const d of subdirs(base)) if (re.test(d)) expand(join(base, d), rest, out)
}

/** `root`-relative, `/`-separated, `.` for the root itself. */
export function stackId(root: string, dir: string): string {
  const rel = relative(root, dir)
  return rel === '' ? '.' : rel.split(sep).join('/')
}

/**
 * Resolves the working-directory input: plain entries must be existing directories; glob entries
 * (`stacks/*`, `live/**`) keep only directories that hold Terraform files. Result: absolute paths,
 * de-duplicated, sorted by their root-relative id (so issue and summary order is stable).
 */
export function resolveStacks(patterns: string[], root: string): { dir: string; id: string }[] {
  const found = new Map<string, string>()
  for (const raw of patterns.length ? patterns : ['.']) {
    const pattern = raw.replace(/\\/g, '/').replace(/\/+$/, '') || '.'
    if (!GLOB_CHARS.test(pattern)) {
      const dir = resolve(root, pattern)
      if (!existsSync(dir) || !isDir(dir)) {
        throw new ConfigurationError(
          `Input 'working-directory': '${raw}' is not a directory; list existing Terraform directories or a glob such as 'stacks/*'.`,
        )
      }
      found.set(dir, stackId(root, dir))
      continue
    }
    const absolute = isAbsolute(pattern)
    const segments = pattern.split('/').filter((s) => s !== '' && s !== '.')
    const matches = new Set<string>()
    expand(absolute ? '/' : root, segments, matches)
    const stacks = [...matches].filter(hasTerraformFiles)
    if (stacks.length === 0) {
      throw new ConfigurationError(
        `Input 'working-directory': the glob '${raw}' matched no directory with .tf files; fix the pattern.`,
      )
    }
    for (const dir of stacks) found.set(dir, stackId(root, dir))
  }
  return [...found.entries()].map(([dir, id]) => ({ dir, id })).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}
