import type { GitHubClient as Octokit } from './client.js'
import type { PlanModel } from '@tfpipe/terraform/model.js'

/**
 * The reviewed plan: what plan-and-comment wrote on the pull request, read back by safety-gate.
 *
 * Comment format (first line is required, the change list is optional):
 *
 *   <!-- tfpipe:plan-and-comment env=<env> dir=<dir> fingerprint=<sha256 hex> -->
 *   ...
 *   <!-- tfpipe:plan-changes count=<n>[ truncated=1]
 *   <action> <address>
 *   ...
 *   -->
 *
 * A combined comment (plan-and-comment `combine-reports`: one comment per directory for all environments)
 * starts with `<!-- tfpipe:plan-and-comment-combined dir=<dir> -->` and holds one section per environment,
 * each starting at a line that is the marker above, followed by that environment's change list.
 *
 * env and dir are encodeURIComponent'd. In the change list, one line per resource instance with a
 * change, sorted by address; action is the PlanModel kind (create, update, delete, replace, read,
 * forget) or `move` / `import` for a no-op that moves or imports. In addresses, `%`, `>` and line
 * breaks are percent-encoded so the list can never close the HTML comment early.
 */

export type Client = Pick<Octokit, 'paginate' | 'rest' | 'request'>

export interface RepoRef {
  owner: string
  repo: string
}

export interface PlannedChange {
  action: string
  address: string
}

export const PLAN_MARKER_RE = /^<!-- tfpipe:plan-and-comment env=(\S+) dir=(\S+) fingerprint=([0-9a-f]*) -->/
export const COMBINED_MARKER_RE = /^<!-- tfpipe:plan-and-comment-combined dir=(\S+) -->/
export const DEFAULT_COMMENT_AUTHORS = ['github-actions[bot]']
/** Keep the change list well inside the comment budget (~60,000 characters). */
export const CHANGE_LIST_MAX_CHARS = 20_000

export function normalizeDir(dir: string): string {
  let d = dir
    .trim()
    .replace(/\\/g, '/')
    .replace(/\/+$/, '')
    .replace(/^(\.\/)+/, '')
  if (d === '' || d === '.') d = '.'
  return d
}

export function changeList(model: Pick<PlanModel, 'resources'>): PlannedChange[] {
  const out: PlannedChange[] = []
  for (const r of model.resources) {
    const action = r.kind !== 'no-op' ? r.kind : r.previousAddress ? 'move' : r.importing ? 'import' : undefined
    if (action) out.push({ action, address: r.address })
  }
  return out.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : a.action.localeCompare(b.action)))
}

const encodeAddress = (a: string): string =>
  a.replace(/%/g, '%25').replace(/>/g, '%3E').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
const decodeAddress = (a: string): string =>
  a.replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%3E/g, '>').replace(/%25/g, '%')

/** The hidden change list plan-and-comment may append to its comment (see the format above). */
export function formatPlanChangesMarker(changes: PlannedChange[], maxChars = CHANGE_LIST_MAX_CHARS): string {
  const lines: string[] = []
  let size = 0
  let truncated = false
  for (const c of changes) {
    const line = `${c.action} ${encodeAddress(c.address)}`
    if (size + line.length + 1 > maxChars) {
      truncated = true
      break
    }
    lines.push(line)
    size += line.length + 1
  }
  return [`<!-- tfpipe:plan-changes count=${changes.length}${truncated ? ' truncated=1' : ''}`, ...lines, '-->'].join(
    '\n',
  )
}

export function parsePlanChangesMarker(body: string): { changes: PlannedChange[]; truncated: boolean } | undefined {
  const m = /<!-- tfpipe:plan-changes count=(\d+)( truncated=1)?\n([\s\S]*?)-->/.exec(body)
  if (!m) return undefined
  const changes: PlannedChange[] = []
  for (const line of (m[3] ?? '').split('\n')) {
    const t = line.trim()
    if (t === '') continue
    const sp = t.indexOf(' ')
    if (sp > 0) changes.push({ action: t.slice(0, sp), address: decodeAddress(t.slice(sp + 1)) })
  }
  return { changes, truncated: Boolean(m[2]) }
}

export function parsePlanMarker(body: string): { environment: string; dir: string; fingerprint: string } | undefined {
  const m = PLAN_MARKER_RE.exec(body.replace(/^\uFEFF/, ''))
  if (!m) return undefined
  try {
    return {
      environment: decodeURIComponent(m[1]!),
      dir: decodeURIComponent(m[2]!),
      fingerprint: m[3]!,
    }
  } catch {
    return undefined
  }
}

/**
 * The plan sections of a comment body: the body itself, or for a combined comment each environment's
 * section (from its marker line to the next), those whose dir is the combined comment's dir.
 */
export function planSections(body: string): string[] {
  const combined = COMBINED_MARKER_RE.exec(body)
  if (!combined) return [body]
  const starts: number[] = []
  const re = /^<!-- tfpipe:plan-and-comment env=/gm
  for (let m = re.exec(body); m; m = re.exec(body)) starts.push(m.index)
  return starts
    .map((start, i) => body.slice(start, starts[i + 1] ?? body.length))
    .filter((section) => parsePlanMarker(section)?.dir === safeDecode(combined[1]!))
}

function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text)
  } catch {
    return undefined
  }
}

/** Readable difference between the reviewed change list and the one about to be applied. */
export function diffChangeLists(reviewed: PlannedChange[], current: PlannedChange[]): string[] {
  const key = (c: PlannedChange): string => c.address
  const before = new Map<string, string[]>()
  const after = new Map<string, string[]>()
  for (const c of reviewed) before.set(key(c), [...(before.get(key(c)) ?? []), c.action])
  for (const c of current) after.set(key(c), [...(after.get(key(c)) ?? []), c.action])
  const lines: string[] = []
  const addresses = [...new Set([...before.keys(), ...after.keys()])].sort()
  for (const address of addresses) {
    const b = (before.get(address) ?? []).sort().join('+')
    const a = (after.get(address) ?? []).sort().join('+')
    if (a === b) continue
    if (!b) lines.push(`+ ${a} ${address}  (not in the reviewed plan)`)
    else if (!a) lines.push(`- ${b} ${address}  (reviewed, no longer in the plan)`)
    else lines.push(`~ ${address}: reviewed ${b}, now ${a}`)
  }
  return lines
}

export interface PullRequestInfo {
  number: number
  url: string
  labels: string[]
  merged: boolean
}

/** The pull request a commit came from (merged first, then open), via GET commits/{sha}/pulls. */
export async function pullRequestOfCommit(
  client: Client,
  repo: RepoRef,
  sha: string,
): Promise<PullRequestInfo | undefined> {
  const pulls = (await client.paginate(client.rest.repos.listPullRequestsAssociatedWithCommit, {
    ...repo,
    commit_sha: sha,
    per_page: 100,
  })) as {
    number: number
    html_url: string
    merged_at: string | null
    state: string
    labels: ({ name?: string } | string)[]
  }[]
  const pick = pulls.find((p) => p.merged_at) ?? pulls.find((p) => p.state === 'open') ?? pulls[0]
  if (!pick) return undefined
  return {
    number: pick.number,
    url: pick.html_url,
    merged: Boolean(pick.merged_at),
    labels: pick.labels.map((l) => (typeof l === 'string' ? l : (l.name ?? ''))).filter((l) => l !== ''),
  }
}

export type ReviewedPlan =
  | {
      found: true
      fingerprint: string
      changes?: PlannedChange[]
      changesTruncated?: boolean
      commentUrl: string
      author: string
    }
  | { found: false; reason: string }

/**
 * The newest plan-and-comment comment for this environment and directory on the pull request, written
 * by a trusted author (github-actions[bot] unless told otherwise): comments by anyone else are ignored,
 * so a copied marker cannot vouch for a plan.
 */
export async function findReviewedPlan(
  client: Client,
  repo: RepoRef,
  prNumber: number,
  environment: string,
  workingDirectory: string,
  options: { authors?: string[] } = {},
): Promise<ReviewedPlan> {
  const authors = options.authors ?? DEFAULT_COMMENT_AUTHORS
  const dir = normalizeDir(workingDirectory)
  const comments = (await client.paginate(client.rest.issues.listComments, {
    ...repo,
    issue_number: prNumber,
    per_page: 100,
  })) as {
    id: number
    body?: string
    html_url: string
    user: { login: string } | null
    updated_at: string
  }[]
  let ours: (typeof comments)[number] | undefined
  let oursSection = ''
  let marker: ReturnType<typeof parsePlanMarker>
  let foreign = 0
  for (const c of comments) {
    for (const section of planSections(c.body ?? '')) {
      const m = parsePlanMarker(section)
      if (m?.environment !== environment || normalizeDir(m.dir) !== dir) continue
      if (!authors.includes(c.user?.login ?? '')) {
        foreign++
        continue
      }
      if (!ours || c.updated_at >= ours.updated_at) {
        ours = c
        oursSection = section
        marker = m
      }
    }
  }
  if (!ours || !marker) {
    const extra = foreign > 0 ? ` (${foreign} comment(s) with the marker by other authors were ignored)` : ''
    return {
      found: false,
      reason: `no plan-and-comment comment for env=${environment} dir=${dir} by ${authors.join(' or ')}${extra}`,
    }
  }
  if (marker.fingerprint === '') {
    return {
      found: false,
      reason: `the plan-and-comment comment for env=${environment} dir=${dir} has no fingerprint (the plan could not be read when it was posted)`,
    }
  }
  const list = parsePlanChangesMarker(oursSection)
  return {
    found: true,
    fingerprint: marker.fingerprint,
    commentUrl: ours.html_url,
    author: ours.user?.login ?? '',
    ...(list ? { changes: list.changes, changesTruncated: list.truncated } : {}),
  }
}
