/**
 * A local GitHub REST (and a sliver of GraphQL) server for tests.
 *
 * Speaks the real paths and JSON shapes, records every request, keeps an in-memory repository state
 * that tests seed and read back, and can inject faults (5xx, secondary rate limits, ...). Listens on
 * 127.0.0.1 on a free port. Point actions at it with GITHUB_API_URL=server.url, as on GHES.
 *
 * State is one repository: any `/repos/{owner}/{repo}/...` path reads and writes the same state; the
 * owner/repo of the request only shapes the returned URLs. A `/api/v3` prefix (GHES) is accepted and
 * `/api/graphql` is an alias of `/graphql`. GraphQL: the minimizeComment mutation, and queries on
 * `repository` (deployments, refs, environments) executed against GitHub's schema (github-graphql.ts).
 */
import { createHash } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { gunzipSync } from 'node:zlib'
import { executeGraphql, type StoredCommit } from './github-graphql.js'

export type { StoredCommit } from './github-graphql.js'

// ---------------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------------

export interface TokenIdentity {
  login: string
  type: 'Bot' | 'User'
  id?: number
}

export interface GitHubServerOptions {
  /** Known tokens; default `{ 'test-token': github-actions[bot] }`. */
  tokens?: Record<string, TokenIdentity>
  /** Clock for created_at/updated_at; default real time. */
  now?: () => Date
}

export interface RecordedRequest {
  method: string
  /** Path without the query string, percent-decoded (`/repos/o/r/git/ref/tags/v1` even when sent as `tags%2Fv1`). */
  path: string
  /** Path as received (not decoded). */
  rawPath: string
  query: Record<string, string>
  /** Lower-cased header names. */
  headers: Record<string, string>
  /** Parsed JSON when the body is JSON, the raw text otherwise, undefined when empty. */
  body: unknown
}

export interface FaultMatch {
  /** Case-insensitive; any method when omitted. */
  method?: string
  /** Exact path (string) or a pattern tested against the percent-decoded path (see RecordedRequest.path). */
  path: RegExp | string
}

export interface FaultResponse {
  status: number
  body?: unknown
  headers?: Record<string, string>
}

export interface GitHubUser {
  login: string
  id: number
  node_id: string
  type: 'Bot' | 'User'
  site_admin: boolean
  avatar_url: string
  html_url: string
  url: string
}

export interface StoredComment {
  id: number
  node_id: string
  issue_number: number
  body: string
  user: GitHubUser
  created_at: string
  updated_at: string
  isMinimized: boolean
  /** Lower-case classifier as GitHub reports it ("outdated"), null when not minimized. */
  minimizedReason: string | null
}

export interface StoredIssue {
  id: number
  node_id: string
  number: number
  title: string
  body: string | null
  state: 'open' | 'closed'
  state_reason: string | null
  labels: string[]
  assignees: string[]
  user: GitHubUser
  created_at: string
  updated_at: string
  closed_at: string | null
  /** Present for pull requests (GitHub lists them among issues). */
  pull?: StoredPullFields
}

export interface StoredPullFields {
  head_sha: string
  head_ref: string
  base_ref: string
  base_sha: string
  merge_commit_sha: string | null
  merged: boolean
  merged_at: string | null
  draft: boolean
  /** `owner/repo` of a fork, undefined for same-repository PRs. */
  head_repo: string | undefined
}

export interface PullRequestSeed {
  number: number
  head_sha: string
  merge_commit_sha?: string | null
  merged?: boolean
  state?: 'open' | 'closed'
  base_ref?: string
  head_ref?: string
  title?: string
  body?: string | null
  login?: string
  labels?: string[]
  draft?: boolean
  /** `owner/repo` of the head repository when the PR comes from a fork (head.repo.fork = true). */
  head_repo?: string
}

export interface IssueSeed {
  number?: number
  title: string
  body?: string | null
  state?: 'open' | 'closed'
  state_reason?: string | null
  labels?: string[]
  login?: string
  type?: 'Bot' | 'User'
}

export interface CommentSeed {
  body: string
  login?: string
  type?: 'Bot' | 'User'
  created_at?: string
}

export interface StoredTagObject {
  sha: string
  node_id: string
  tag: string
  message: string
  object: { sha: string; type: string }
  tagger: { name: string; email: string; date: string }
}

export interface StoredRef {
  ref: string
  sha: string
  /** 'tag' when sha is an annotated tag object, 'commit' otherwise. */
  type: 'commit' | 'tag'
}

export interface StoredDeploymentStatus {
  id: number
  node_id: string
  state: string
  description: string
  environment: string
  target_url: string
  log_url: string
  environment_url: string
  creator: GitHubUser
  created_at: string
  updated_at: string
}

export interface StoredDeployment {
  id: number
  node_id: string
  sha: string
  ref: string
  task: string
  payload: unknown
  environment: string
  original_environment: string
  description: string | null
  transient_environment: boolean
  production_environment: boolean
  creator: GitHubUser
  created_at: string
  updated_at: string
  /** The request body as sent (to assert auto_merge=false, required_contexts=[] ...). */
  request: Record<string, unknown>
  /** Oldest first. */
  statuses: StoredDeploymentStatus[]
}

export interface StoredRelease {
  id: number
  node_id: string
  tag_name: string
  target_commitish: string
  name: string | null
  body: string | null
  draft: boolean
  prerelease: boolean
  /** What the last create/update asked for: 'true', 'false' or 'legacy' (GitHub's make_latest). */
  make_latest: string
  author: GitHubUser
  created_at: string
  published_at: string | null
}

export type EnvironmentReviewer =
  string | { type: 'User'; login: string; id?: number } | { type: 'Team'; slug: string; id?: number }

export interface EnvironmentSettings {
  /** Required reviewers; a string is a user login. No required_reviewers rule when omitted/empty. */
  reviewers?: EnvironmentReviewer[]
  prevent_self_review?: boolean
  /** Minutes; no wait_timer rule when omitted or 0. */
  wait_timer?: number
  /** Adds the branch_policy rule when non-null. */
  deployment_branch_policy?: { protected_branches: boolean; custom_branch_policies: boolean } | null
  can_admins_bypass?: boolean
  /** GET answers 403 "Resource not accessible by integration" (token lacks actions: read). */
  unreadable?: boolean
}

export interface WorkflowRunSeed {
  id: number
  run_started_at?: string
  created_at?: string
  head_sha?: string
  head_branch?: string
  event?: string
  status?: string
  conclusion?: string | null
  name?: string
  run_number?: number
  run_attempt?: number
  actor?: string
  /** GET answers 403 "Resource not accessible by integration" (token lacks actions: read). */
  unreadable?: boolean
}

/** One `POST code-scanning/sarifs` GitHub accepted, with the SARIF decoded (gunzip + base64). */
export interface StoredSarifUpload {
  id: string
  commit_sha: string
  ref: string
  tool_name: string | undefined
  checkout_uri: string | undefined
  sarif: {
    version?: string
    runs?: { tool?: { driver?: { name?: string } }; results?: unknown[]; automationDetails?: { id?: string } }[]
  }
  created_at: string
}

export interface GitHubServer {
  /** API base, e.g. `http://127.0.0.1:PORT` (use as GITHUB_API_URL / Octokit baseUrl). */
  url: string
  /** GraphQL endpoint (`${url}/graphql`). */
  graphqlUrl: string
  /** Every request received, oldest first (including faulted, 401 and 304 ones). */
  requests: RecordedRequest[]
  resetRequests(): void
  close(): Promise<void>
  /** Answer the next `times` requests matching `match` with `response` instead of handling them. */
  failNext(match: FaultMatch, response: FaultResponse, times?: number): void
  /** Requests that counted against the rate limit (everything except 304 and 401). */
  rateLimitUsed(): number

  addPullRequest(seed: PullRequestSeed): StoredIssue
  pullRequests(): StoredIssue[]
  /** Associates a commit with PRs for GET commits/{sha}/pulls (head and merge SHAs are associated automatically). */
  associateCommit(sha: string, prNumber: number): void

  addComment(issueNumber: number, seed: CommentSeed): StoredComment
  /** Comments on an issue or PR, oldest first (live objects; do not mutate). */
  comments(issueNumber: number): StoredComment[]
  /** All minimized comments. */
  minimizedComments(): StoredComment[]

  addIssue(seed: IssueSeed): StoredIssue
  /** Issues (not PRs), by number. */
  issues(): StoredIssue[]

  /** Seeds a ref (`refs/heads/main`, `refs/tags/v1` ...). */
  addRef(ref: string, sha: string): StoredRef
  refs(): StoredRef[]
  tagObjects(): StoredTagObject[]

  /** Deployments, newest first, each with its statuses (oldest first). */
  deployments(): StoredDeployment[]

  setEnvironment(name: string, settings?: EnvironmentSettings): void

  /** Releases, oldest first (live objects; do not mutate). */
  releases(): StoredRelease[]

  /** SARIF uploads to code scanning, oldest first. */
  sarifUploads(): StoredSarifUpload[]

  /** Seeds a workflow run for GET /repos/{o}/{r}/actions/runs/{id} (unknown ids answer 404). */
  setWorkflowRun(seed: WorkflowRunSeed): void

  /**
   * Seeds a commit (GraphQL Commit.committedDate). A commit first named by a deployment or a tag
   * object is recorded with the server's clock as its date (it existed before it was deployed).
   */
  addCommit(seed: { sha: string; committedDate: string; authoredDate?: string; message?: string }): StoredCommit
}

// ---------------------------------------------------------------------------------------------------
// Implementation
// ---------------------------------------------------------------------------------------------------

const DEFAULT_TOKENS: Record<string, TokenIdentity> = {
  'test-token': { login: 'github-actions[bot]', type: 'Bot', id: 41898282 },
}

const MAX_BODY = 65536
const RATE_LIMIT = 5000

/** A reply the request handler throws to answer with this status and body (an Error, so it carries a stack). */
class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(`HTTP ${status}`)
  }
}

function notFound(doc = 'https://docs.github.com/rest'): HttpError {
  return new HttpError(404, { message: 'Not Found', documentation_url: doc, status: '404' })
}

function notAccessible(doc: string): HttpError {
  return new HttpError(403, {
    message: 'Resource not accessible by integration',
    documentation_url: doc,
    status: '403',
  })
}

function validationFailed(doc: string, errors: unknown[]): HttpError {
  return new HttpError(422, { message: 'Validation Failed', errors, documentation_url: doc, status: '422' })
}

function tooLong(resource: 'IssueComment' | 'Issue', doc: string): HttpError {
  return validationFailed(doc, [
    { resource, code: 'custom', field: 'body', message: `body is too long (maximum is ${MAX_BODY} characters)` },
  ])
}

function bodyLength(body: string): number {
  let n = 0
  for (const _ of body) n++
  return n
}

function isoNow(now: () => Date): string {
  return now()
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
}

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex')
}

function nodeId(prefix: string, id: number): string {
  return `${prefix}_kwDO${Buffer.from(`${prefix}:${id}`).toString('base64url')}`
}

function userIdFor(login: string): number {
  return 1000 + (parseInt(createHash('sha1').update(login).digest('hex').slice(0, 7), 16) % 9_000_000)
}

function makeUser(webBase: string, apiBase: string, login: string, type: 'Bot' | 'User', id?: number): GitHubUser {
  const uid = id ?? (login === 'github-actions[bot]' ? 41898282 : userIdFor(login))
  return {
    login,
    id: uid,
    node_id: nodeId(type === 'Bot' ? 'BOT' : 'U', uid),
    type,
    site_admin: false,
    avatar_url: `https://avatars.githubusercontent.com/u/${uid}?v=4`,
    html_url: `${webBase}/${encodeURIComponent(login)}`,
    url: `${apiBase}/users/${encodeURIComponent(login)}`,
  }
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {}
}

function labelNames(value: unknown): string[] {
  if (!Array.isArray(value)) return []
  return value
    .map((l) => (typeof l === 'string' ? l : typeof asRecord(l).name === 'string' ? (asRecord(l).name as string) : ''))
    .filter((l) => l !== '')
}

export async function startGitHubServer(options: GitHubServerOptions = {}): Promise<GitHubServer> {
  const tokens = options.tokens ?? DEFAULT_TOKENS
  const now = options.now ?? (() => new Date())
  const webBase = 'https://github.com'

  const requests: RecordedRequest[] = []
  const faults: { match: FaultMatch; response: FaultResponse; remaining: number }[] = []
  let counted = 0

  const issues = new Map<number, StoredIssue>()
  const comments = new Map<number, StoredComment>()
  const commitPulls = new Map<string, Set<number>>()
  const refs = new Map<string, StoredRef>()
  const tagObjects = new Map<string, StoredTagObject>()
  const deployments: StoredDeployment[] = []
  const releases = new Map<number, StoredRelease>()
  let nextReleaseId = 6_000_001
  const environments = new Map<string, EnvironmentSettings & { id: number; created_at: string }>()
  let nextCommentId = 1_000_000_001
  let nextIssueId = 2_000_000_001
  let nextDeploymentId = 3_000_001
  let nextStatusId = 4_000_001
  let nextEnvId = 5_001
  const workflowRuns = new Map<number, WorkflowRunSeed>()
  const sarifUploads: StoredSarifUpload[] = []
  const commits = new Map<string, StoredCommit>()
  const knowCommit = (sha: string): void => {
    if (/^[0-9a-f]{40}$/.test(sha) && !commits.has(sha))
      commits.set(sha, {
        sha,
        committedDate: isoNow(now),
        authoredDate: isoNow(now),
        message: `commit ${sha.slice(0, 7)}`,
      })
  }
  let apiBase = 'http://127.0.0.1'

  const userFor = (login: string, type?: 'Bot' | 'User', id?: number): GitHubUser => {
    const known = Object.values(tokens).find((t) => t.login === login)
    return makeUser(
      webBase,
      apiBase,
      login,
      type ?? known?.type ?? (login.endsWith('[bot]') ? 'Bot' : 'User'),
      id ?? known?.id,
    )
  }

  const nextNumber = (): number => Math.max(0, ...issues.keys()) + 1

  // ---- seeding ------------------------------------------------------------------------------------

  const associateCommit = (sha: string, prNumber: number): void => {
    const set = commitPulls.get(sha) ?? new Set<number>()
    set.add(prNumber)
    commitPulls.set(sha, set)
  }

  const addPullRequest = (seed: PullRequestSeed): StoredIssue => {
    const ts = isoNow(now)
    const merged = seed.merged ?? false
    const issue: StoredIssue = {
      id: nextIssueId++,
      node_id: '',
      number: seed.number,
      title: seed.title ?? `Pull request #${seed.number}`,
      body: seed.body ?? null,
      state: seed.state ?? (merged ? 'closed' : 'open'),
      state_reason: null,
      labels: seed.labels ?? [],
      assignees: [],
      user: userFor(seed.login ?? 'octocat'),
      created_at: ts,
      updated_at: ts,
      closed_at: merged || seed.state === 'closed' ? ts : null,
      pull: {
        head_sha: seed.head_sha,
        head_ref: seed.head_ref ?? `feature-${seed.number}`,
        base_ref: seed.base_ref ?? 'main',
        base_sha: sha1(`base:${seed.base_ref ?? 'main'}`),
        merge_commit_sha: seed.merge_commit_sha ?? null,
        merged,
        merged_at: merged ? ts : null,
        draft: seed.draft ?? false,
        head_repo: seed.head_repo,
      },
    }
    issue.node_id = nodeId('PR', issue.id)
    issues.set(seed.number, issue)
    associateCommit(seed.head_sha, seed.number)
    if (seed.merge_commit_sha) associateCommit(seed.merge_commit_sha, seed.number)
    return issue
  }

  const addIssueRecord = (seed: IssueSeed, user: GitHubUser): StoredIssue => {
    const ts = isoNow(now)
    const state = seed.state ?? 'open'
    const issue: StoredIssue = {
      id: nextIssueId++,
      node_id: '',
      number: seed.number ?? nextNumber(),
      title: seed.title,
      body: seed.body ?? null,
      state,
      state_reason: seed.state_reason ?? (state === 'closed' ? 'completed' : null),
      labels: seed.labels ?? [],
      assignees: [],
      user,
      created_at: ts,
      updated_at: ts,
      closed_at: state === 'closed' ? ts : null,
    }
    issue.node_id = nodeId('I', issue.id)
    issues.set(issue.number, issue)
    return issue
  }

  const addComment = (issueNumber: number, seed: CommentSeed, user?: GitHubUser): StoredComment => {
    const ts = seed.created_at ?? isoNow(now)
    const id = nextCommentId++
    const comment: StoredComment = {
      id,
      node_id: nodeId('IC', id),
      issue_number: issueNumber,
      body: seed.body,
      user: user ?? userFor(seed.login ?? 'github-actions[bot]', seed.type),
      created_at: ts,
      updated_at: ts,
      isMinimized: false,
      minimizedReason: null,
    }
    comments.set(id, comment)
    return comment
  }

  const addRef = (ref: string, sha: string): StoredRef => {
    const stored: StoredRef = { ref, sha, type: tagObjects.has(sha) ? 'tag' : 'commit' }
    refs.set(ref, stored)
    return stored
  }

  // ---- renderers ----------------------------------------------------------------------------------

  interface Repo {
    owner: string
    repo: string
    api: string
    web: string
  }

  const renderComment = (c: StoredComment, r: Repo) => ({
    url: `${r.api}/issues/comments/${c.id}`,
    html_url: `${r.web}/${issues.get(c.issue_number)?.pull ? 'pull' : 'issues'}/${c.issue_number}#issuecomment-${c.id}`,
    issue_url: `${r.api}/issues/${c.issue_number}`,
    id: c.id,
    node_id: c.node_id,
    user: c.user,
    created_at: c.created_at,
    updated_at: c.updated_at,
    author_association: c.user.type === 'Bot' ? 'NONE' : 'MEMBER',
    body: c.body,
    reactions: { url: `${r.api}/issues/comments/${c.id}/reactions`, total_count: 0 },
    performed_via_github_app:
      c.user.type === 'Bot' ? { id: 15368, slug: 'github-actions', name: 'GitHub Actions' } : null,
  })

  const renderLabels = (labels: string[], r: Repo) =>
    labels.map((name) => {
      const id = userIdFor(`label:${name}`)
      return {
        id,
        node_id: nodeId('LA', id),
        url: `${r.api}/labels/${encodeURIComponent(name)}`,
        name,
        color: 'ededed',
        default: false,
        description: null,
      }
    })

  const renderIssue = (i: StoredIssue, r: Repo) => ({
    url: `${r.api}/issues/${i.number}`,
    repository_url: r.api,
    labels_url: `${r.api}/issues/${i.number}/labels{/name}`,
    comments_url: `${r.api}/issues/${i.number}/comments`,
    events_url: `${r.api}/issues/${i.number}/events`,
    html_url: `${r.web}/${i.pull ? 'pull' : 'issues'}/${i.number}`,
    id: i.id,
    node_id: i.node_id,
    number: i.number,
    title: i.title,
    user: i.user,
    labels: renderLabels(i.labels, r),
    state: i.state,
    state_reason: i.state_reason,
    locked: false,
    assignee: i.assignees[0] ? userFor(i.assignees[0]) : null,
    assignees: i.assignees.map((a) => userFor(a)),
    milestone: null,
    comments: [...comments.values()].filter((c) => c.issue_number === i.number).length,
    created_at: i.created_at,
    updated_at: i.updated_at,
    closed_at: i.closed_at,
    author_association: 'MEMBER',
    body: i.body,
    ...(i.pull
      ? {
          draft: i.pull.draft,
          pull_request: {
            url: `${r.api}/pulls/${i.number}`,
            html_url: `${r.web}/pull/${i.number}`,
            diff_url: `${r.web}/pull/${i.number}.diff`,
            patch_url: `${r.web}/pull/${i.number}.patch`,
            merged_at: i.pull.merged_at,
          },
        }
      : {}),
  })

  const renderPull = (i: StoredIssue, r: Repo) => {
    const p = i.pull!
    const repoObj = {
      id: 1296269,
      node_id: 'R_kgDOABCDEF',
      name: r.repo,
      full_name: `${r.owner}/${r.repo}`,
      private: true,
      fork: false,
      html_url: r.web,
      url: r.api,
      default_branch: 'main',
    }
    const [forkOwner, forkName] = (p.head_repo ?? '').split('/') as [string, string | undefined]
    const headRepo = p.head_repo
      ? {
          ...repoObj,
          id: 1296270,
          node_id: 'R_kgDOFORK01',
          name: forkName ?? r.repo,
          full_name: p.head_repo,
          fork: true,
          html_url: `${webBase}/${p.head_repo}`,
          url: `${apiBase}/repos/${p.head_repo}`,
        }
      : repoObj
    const headOwner = p.head_repo ? forkOwner : r.owner
    return {
      url: `${r.api}/pulls/${i.number}`,
      id: i.id,
      node_id: i.node_id,
      html_url: `${r.web}/pull/${i.number}`,
      diff_url: `${r.web}/pull/${i.number}.diff`,
      patch_url: `${r.web}/pull/${i.number}.patch`,
      issue_url: `${r.api}/issues/${i.number}`,
      commits_url: `${r.api}/pulls/${i.number}/commits`,
      comments_url: `${r.api}/issues/${i.number}/comments`,
      statuses_url: `${r.api}/statuses/${p.head_sha}`,
      number: i.number,
      state: i.state,
      locked: false,
      title: i.title,
      user: i.user,
      body: i.body,
      labels: renderLabels(i.labels, r),
      created_at: i.created_at,
      updated_at: i.updated_at,
      closed_at: i.closed_at,
      merged_at: p.merged_at,
      merge_commit_sha: p.merge_commit_sha,
      draft: p.draft,
      merged: p.merged,
      head: {
        label: `${headOwner}:${p.head_ref}`,
        ref: p.head_ref,
        sha: p.head_sha,
        user: userFor(headOwner, 'User'),
        repo: headRepo,
      },
      base: {
        label: `${r.owner}:${p.base_ref}`,
        ref: p.base_ref,
        sha: p.base_sha,
        user: userFor(r.owner, 'User'),
        repo: repoObj,
      },
      author_association: 'MEMBER',
    }
  }

  const renderTag = (t: StoredTagObject, r: Repo) => ({
    node_id: t.node_id,
    tag: t.tag,
    sha: t.sha,
    url: `${r.api}/git/tags/${t.sha}`,
    message: t.message,
    tagger: t.tagger,
    object: {
      type: t.object.type,
      sha: t.object.sha,
      url: `${r.api}/git/${t.object.type === 'tag' ? 'tags' : 'commits'}/${t.object.sha}`,
    },
    verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
  })

  const renderRef = (ref: StoredRef, r: Repo) => ({
    ref: ref.ref,
    node_id: `REF_${Buffer.from(ref.ref).toString('base64url')}`,
    url: `${r.api}/git/${ref.ref}`,
    object: { type: ref.type, sha: ref.sha, url: `${r.api}/git/${ref.type === 'tag' ? 'tags' : 'commits'}/${ref.sha}` },
  })

  const renderDeployment = (d: StoredDeployment, r: Repo) => ({
    url: `${r.api}/deployments/${d.id}`,
    id: d.id,
    node_id: d.node_id,
    sha: d.sha,
    ref: d.ref,
    task: d.task,
    payload: d.payload,
    original_environment: d.original_environment,
    environment: d.environment,
    description: d.description,
    creator: d.creator,
    created_at: d.created_at,
    updated_at: d.updated_at,
    statuses_url: `${r.api}/deployments/${d.id}/statuses`,
    repository_url: r.api,
    transient_environment: d.transient_environment,
    production_environment: d.production_environment,
    performed_via_github_app: null,
  })

  const renderStatus = (d: StoredDeployment, s: StoredDeploymentStatus, r: Repo) => ({
    url: `${r.api}/deployments/${d.id}/statuses/${s.id}`,
    id: s.id,
    node_id: s.node_id,
    state: s.state,
    creator: s.creator,
    description: s.description,
    environment: s.environment,
    target_url: s.target_url,
    created_at: s.created_at,
    updated_at: s.updated_at,
    deployment_url: `${r.api}/deployments/${d.id}`,
    repository_url: r.api,
    environment_url: s.environment_url,
    log_url: s.log_url,
    performed_via_github_app: null,
  })

  const renderEnvironment = (name: string, e: EnvironmentSettings & { id: number; created_at: string }, r: Repo) => {
    const rules: unknown[] = []
    let ruleId = e.id * 10
    if (e.reviewers && e.reviewers.length > 0) {
      rules.push({
        id: ++ruleId,
        node_id: nodeId('GA', ruleId),
        type: 'required_reviewers',
        prevent_self_review: e.prevent_self_review ?? false,
        reviewers: e.reviewers.map((rev) => {
          if (typeof rev === 'string') return { type: 'User', reviewer: userFor(rev, 'User') }
          if (rev.type === 'User') return { type: 'User', reviewer: userFor(rev.login, 'User', rev.id) }
          const tid = rev.id ?? userIdFor(`team:${rev.slug}`)
          return {
            type: 'Team',
            reviewer: {
              id: tid,
              node_id: nodeId('T', tid),
              name: rev.slug,
              slug: rev.slug,
              url: `${apiBase}/orgs/${r.owner}/teams/${rev.slug}`,
              html_url: `${webBase}/orgs/${r.owner}/teams/${rev.slug}`,
              privacy: 'closed',
              permission: 'pull',
            },
          }
        }),
      })
    }
    if (e.wait_timer)
      rules.push({ id: ++ruleId, node_id: nodeId('GA', ruleId), type: 'wait_timer', wait_timer: e.wait_timer })
    if (e.deployment_branch_policy) rules.push({ id: ++ruleId, node_id: nodeId('GA', ruleId), type: 'branch_policy' })
    return {
      id: e.id,
      node_id: nodeId('EN', e.id),
      name,
      url: `${r.api}/environments/${encodeURIComponent(name)}`,
      html_url: `${r.web}/deployments/activity_log?environments_filter=${encodeURIComponent(name)}`,
      created_at: e.created_at,
      updated_at: e.created_at,
      can_admins_bypass: e.can_admins_bypass ?? true,
      protection_rules: rules,
      deployment_branch_policy: e.deployment_branch_policy ?? null,
    }
  }

  // ---- HTTP plumbing ------------------------------------------------------------------------------

  interface Ctx {
    req: IncomingMessage
    method: string
    path: string
    query: URLSearchParams
    body: unknown
    user: GitHubUser
    identity: TokenIdentity
  }

  interface Reply {
    status: number
    body?: unknown
    headers?: Record<string, string>
  }

  const paginate = (ctx: Ctx, items: unknown[]): Reply => {
    const perPage = Math.min(100, Math.max(1, parseInt(ctx.query.get('per_page') ?? '30', 10) || 30))
    const page = Math.max(1, parseInt(ctx.query.get('page') ?? '1', 10) || 1)
    const last = Math.max(1, Math.ceil(items.length / perPage))
    const slice = items.slice((page - 1) * perPage, page * perPage)
    const link = (p: number): string => {
      const q = new URLSearchParams(ctx.query)
      q.set('page', String(p))
      return `<${apiBase}${ctx.path}?${q.toString()}>`
    }
    const parts: string[] = []
    if (page > 1) parts.push(`${link(Math.min(page - 1, last))}; rel="prev"`)
    if (page < last) parts.push(`${link(page + 1)}; rel="next"`, `${link(last)}; rel="last"`)
    if (page > 1) parts.push(`${link(1)}; rel="first"`)
    return { status: 200, body: slice, headers: parts.length > 0 ? { link: parts.join(', ') } : {} }
  }

  const readBody = (req: IncomingMessage): Promise<string> =>
    new Promise((resolve, reject) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
      req.on('error', reject)
    })

  const send = (res: ServerResponse, reply: Reply, countIt: boolean, method: string, ifNoneMatch?: string): void => {
    const headers: Record<string, string> = {
      'x-github-media-type': 'github.v3; format=json',
      'x-github-request-id': createHash('sha1')
        .update(String(requests.length))
        .digest('hex')
        .slice(0, 16)
        .toUpperCase(),
      ...Object.fromEntries(Object.entries(reply.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
    }
    let payload = ''
    if (reply.body !== undefined) {
      payload = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body)
      headers['content-type'] ??=
        typeof reply.body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8'
    }
    let status = reply.status
    if (method === 'GET' && status === 200) {
      const etag = `W/"${createHash('sha256').update(payload).digest('hex')}"`
      headers.etag = etag
      if (
        ifNoneMatch
          ?.split(',')
          .map((t) => t.trim())
          .includes(etag)
      ) {
        status = 304
        payload = ''
        countIt = false
        delete headers['content-type']
      }
    }
    if (countIt) counted++
    headers['x-ratelimit-limit'] = String(RATE_LIMIT)
    headers['x-ratelimit-used'] = String(counted)
    headers['x-ratelimit-remaining'] = headers['x-ratelimit-remaining'] ?? String(Math.max(0, RATE_LIMIT - counted))
    headers['x-ratelimit-reset'] = headers['x-ratelimit-reset'] ?? String(Math.floor(Date.now() / 1000) + 3600)
    headers['x-ratelimit-resource'] = 'core'
    if (status === 204 || status === 304) payload = ''
    res.writeHead(status, headers)
    res.end(payload)
  }

  const parseRepo = (owner: string, repo: string): Repo => ({
    owner,
    repo,
    api: `${apiBase}/repos/${owner}/${repo}`,
    web: `${webBase}/${owner}/${repo}`,
  })

  // ---- routes -------------------------------------------------------------------------------------

  type Handler = (ctx: Ctx, params: string[], r: Repo) => Reply
  const routes: { method: string; pattern: RegExp; handler: Handler }[] = []
  const route = (method: string, pattern: string, handler: Handler): void => {
    // {x} matches one segment; {x+} matches the rest of the path.
    const re = new RegExp('^' + pattern.replace(/\{[a-z_]+\+\}/g, '(.+)').replace(/\{[a-z_]+\}/g, '([^/]+)') + '$')
    routes.push({ method, pattern: re, handler })
  }
  const R = '/repos/{owner}/{repo}'
  const DOC_COMMENTS = 'https://docs.github.com/rest/issues/comments'
  const DOC_ISSUES = 'https://docs.github.com/rest/issues/issues'

  const num = (s: string | undefined): number => {
    const n = Number(s)
    if (!Number.isInteger(n) || n <= 0) throw notFound()
    return n
  }
  const requireComment = (id: string | undefined): StoredComment => {
    const c = comments.get(num(id))
    if (!c) throw notFound(`${DOC_COMMENTS}#get-an-issue-comment`)
    return c
  }
  const requireIssue = (n: string | undefined, doc: string): StoredIssue => {
    const i = issues.get(num(n))
    if (!i) throw notFound(doc)
    return i
  }
  const checkBody = (body: unknown, resource: 'IssueComment' | 'Issue', doc: string): string | null => {
    if (body === undefined || body === null) return null
    if (typeof body !== 'string') {
      throw validationFailed(doc, [{ resource, code: 'invalid', field: 'body' }])
    }
    if (bodyLength(body) > MAX_BODY) throw tooLong(resource, doc)
    return body
  }

  route('GET', '/user', (ctx) => {
    if (ctx.identity.type === 'Bot')
      throw notAccessible('https://docs.github.com/rest/users/users#get-the-authenticated-user')
    return { status: 200, body: { ...ctx.user, name: ctx.user.login, email: null } }
  })

  route('GET', R, (_ctx, [owner, repo], r) => ({
    status: 200,
    body: {
      id: 1296269,
      node_id: 'R_kgDOABCDEF',
      name: repo,
      full_name: `${owner}/${repo}`,
      private: true,
      owner: userFor(owner!, 'User'),
      html_url: r.web,
      url: r.api,
      default_branch: 'main',
      visibility: 'private',
    },
  }))

  // issue comments
  route('GET', `${R}/issues/{n}/comments`, (ctx, [, , n], r) => {
    const number = num(n)
    const list = [...comments.values()].filter((c) => c.issue_number === number).map((c) => renderComment(c, r))
    return paginate(ctx, list)
  })
  route('POST', `${R}/issues/{n}/comments`, (ctx, [, , n], r) => {
    const doc = `${DOC_COMMENTS}#create-an-issue-comment`
    const issue = requireIssue(n, doc)
    const body = checkBody(asRecord(ctx.body).body, 'IssueComment', doc)
    if (body === null) throw validationFailed(doc, [{ resource: 'IssueComment', code: 'missing_field', field: 'body' }])
    const c = addComment(issue.number, { body }, ctx.user)
    return { status: 201, body: renderComment(c, r), headers: { location: `${r.api}/issues/comments/${c.id}` } }
  })
  route('GET', `${R}/issues/comments`, (ctx, _p, r) => {
    const direction = ctx.query.get('direction') ?? 'asc'
    const list = [...comments.values()]
      .sort((a, b) => (direction === 'desc' ? b.id - a.id : a.id - b.id))
      .map((c) => renderComment(c, r))
    return paginate(ctx, list)
  })
  route('GET', `${R}/issues/comments/{id}`, (_ctx, [, , id], r) => ({
    status: 200,
    body: renderComment(requireComment(id), r),
  }))
  route('PATCH', `${R}/issues/comments/{id}`, (ctx, [, , id], r) => {
    const doc = `${DOC_COMMENTS}#update-an-issue-comment`
    const c = requireComment(id)
    const body = checkBody(asRecord(ctx.body).body, 'IssueComment', doc)
    if (body === null) throw validationFailed(doc, [{ resource: 'IssueComment', code: 'missing_field', field: 'body' }])
    c.body = body
    c.updated_at = isoNow(now)
    return { status: 200, body: renderComment(c, r) }
  })
  route('DELETE', `${R}/issues/comments/{id}`, (_ctx, [, , id]) => {
    const c = requireComment(id)
    comments.delete(c.id)
    return { status: 204 }
  })

  // pulls
  route('GET', `${R}/pulls`, (ctx, _p, r) => {
    const state = ctx.query.get('state') ?? 'open'
    const list = [...issues.values()]
      .filter((i) => i.pull && (state === 'all' || i.state === state))
      .filter((i) => !ctx.query.get('head') || `${r.owner}:${i.pull?.head_ref}` === ctx.query.get('head'))
      .filter((i) => !ctx.query.get('base') || i.pull?.base_ref === ctx.query.get('base'))
      .sort((a, b) => b.number - a.number)
      .map((i) => renderPull(i, r))
    return paginate(ctx, list)
  })
  route('GET', `${R}/pulls/{n}`, (_ctx, [, , n], r) => {
    const i = issues.get(num(n))
    if (!i?.pull) throw notFound('https://docs.github.com/rest/pulls/pulls#get-a-pull-request')
    return { status: 200, body: renderPull(i, r) }
  })
  route('GET', `${R}/commits/{sha}/pulls`, (ctx, [, , sha], r) => {
    const numbers = [...(commitPulls.get(sha!) ?? [])].sort((a, b) => b - a)
    const list = numbers
      .map((n) => issues.get(n))
      .filter((i): i is StoredIssue => !!i?.pull)
      .map((i) => renderPull(i, r))
    return paginate(ctx, list)
  })

  // issues
  route('GET', `${R}/issues`, (ctx, _p, r) => {
    const state = ctx.query.get('state') ?? 'open'
    const labels = (ctx.query.get('labels') ?? '')
      .split(',')
      .map((l) => l.trim())
      .filter((l) => l !== '')
    const creator = ctx.query.get('creator')
    const sort = ctx.query.get('sort') ?? 'created'
    const direction = ctx.query.get('direction') ?? 'desc'
    const list = [...issues.values()]
      .filter((i) => state === 'all' || i.state === state)
      .filter((i) => labels.every((l) => i.labels.some((x) => x.toLowerCase() === l.toLowerCase())))
      .filter((i) => !creator || i.user.login === creator)
      .sort((a, b) => {
        const key = sort === 'updated' ? 'updated_at' : 'created_at'
        const cmp = a[key].localeCompare(b[key]) || a.id - b.id
        return direction === 'asc' ? cmp : -cmp
      })
      .map((i) => renderIssue(i, r))
    return paginate(ctx, list)
  })
  route('POST', `${R}/issues`, (ctx, _p, r) => {
    const doc = `${DOC_ISSUES}#create-an-issue`
    const b = asRecord(ctx.body)
    if (typeof b.title !== 'string' || b.title === '') {
      throw validationFailed(doc, [{ resource: 'Issue', code: 'missing_field', field: 'title' }])
    }
    const body = checkBody(b.body, 'Issue', doc)
    const issue = addIssueRecord({ title: b.title, body, labels: labelNames(b.labels) }, ctx.user)
    issue.assignees = Array.isArray(b.assignees) ? b.assignees.filter((a): a is string => typeof a === 'string') : []
    return { status: 201, body: renderIssue(issue, r), headers: { location: `${r.api}/issues/${issue.number}` } }
  })
  route('GET', `${R}/issues/{n}`, (_ctx, [, , n], r) => ({
    status: 200,
    body: renderIssue(requireIssue(n, `${DOC_ISSUES}#get-an-issue`), r),
  }))
  route('PATCH', `${R}/issues/{n}`, (ctx, [, , n], r) => {
    const doc = `${DOC_ISSUES}#update-an-issue`
    const issue = requireIssue(n, doc)
    const b = asRecord(ctx.body)
    if ('body' in b) issue.body = checkBody(b.body, 'Issue', doc)
    if (typeof b.title === 'string') issue.title = b.title
    if ('labels' in b) issue.labels = labelNames(b.labels)
    if (Array.isArray(b.assignees)) issue.assignees = b.assignees.filter((a): a is string => typeof a === 'string')
    if (b.state === 'open' || b.state === 'closed') {
      if (b.state !== issue.state) issue.closed_at = b.state === 'closed' ? isoNow(now) : null
      issue.state = b.state
      issue.state_reason =
        b.state === 'closed'
          ? typeof b.state_reason === 'string'
            ? b.state_reason
            : 'completed'
          : b.state_reason === 'reopened'
            ? 'reopened'
            : null
    } else if (b.state !== undefined) {
      throw validationFailed(doc, [{ resource: 'Issue', code: 'invalid', field: 'state' }])
    } else if (typeof b.state_reason === 'string' && issue.state === 'closed') {
      issue.state_reason = b.state_reason
    }
    issue.updated_at = isoNow(now)
    return { status: 200, body: renderIssue(issue, r) }
  })

  route('POST', `${R}/issues/{n}/labels`, (ctx, [, , n], r) => {
    const issue = requireIssue(n, `https://docs.github.com/rest/issues/labels#add-labels-to-an-issue`)
    const b = ctx.body
    const added = Array.isArray(b) ? labelNames(b) : labelNames(asRecord(b).labels)
    for (const l of added) if (!issue.labels.includes(l)) issue.labels.push(l)
    issue.updated_at = isoNow(now)
    return { status: 200, body: renderLabels(issue.labels, r) }
  })
  route('DELETE', `${R}/issues/{n}/labels/{name}`, (_ctx, [, , n, name], r) => {
    const doc = 'https://docs.github.com/rest/issues/labels#remove-a-label-from-an-issue'
    const issue = requireIssue(n, doc)
    if (!issue.labels.includes(name!))
      throw new HttpError(404, { message: 'Label does not exist', documentation_url: doc, status: '404' })
    issue.labels = issue.labels.filter((l) => l !== name)
    issue.updated_at = isoNow(now)
    return { status: 200, body: renderLabels(issue.labels, r) }
  })

  // git
  route('POST', `${R}/git/tags`, (ctx, _p, r) => {
    const doc = 'https://docs.github.com/rest/git/tags#create-a-tag-object'
    const b = asRecord(ctx.body)
    for (const field of ['tag', 'message', 'object', 'type']) {
      if (typeof b[field] !== 'string') throw validationFailed(doc, [{ resource: 'Tag', code: 'missing_field', field }])
    }
    const tagger = asRecord(b.tagger)
    const t: StoredTagObject = {
      sha: '',
      node_id: '',
      tag: b.tag as string,
      message: b.message as string,
      object: { sha: b.object as string, type: b.type as string },
      tagger: {
        name: typeof tagger.name === 'string' ? tagger.name : ctx.user.login,
        email:
          typeof tagger.email === 'string' ? tagger.email : `${ctx.user.id}+${ctx.user.login}@users.noreply.github.com`,
        date: typeof tagger.date === 'string' ? tagger.date : isoNow(now),
      },
    }
    t.sha = sha1(
      `tag ${t.tag}\nobject ${t.object.sha}\ntype ${t.object.type}\n${t.tagger.name} ${t.tagger.date}\n\n${t.message}`,
    )
    t.node_id = `TAG_${Buffer.from(t.sha).toString('base64url').slice(0, 20)}`
    tagObjects.set(t.sha, t)
    if (t.object.type === 'commit') knowCommit(t.object.sha)
    return { status: 201, body: renderTag(t, r), headers: { location: `${r.api}/git/tags/${t.sha}` } }
  })
  route('GET', `${R}/git/tags/{sha}`, (_ctx, [, , sha], r) => {
    const t = tagObjects.get(sha!)
    if (!t) throw notFound('https://docs.github.com/rest/git/tags#get-a-tag')
    return { status: 200, body: renderTag(t, r) }
  })
  route('POST', `${R}/git/refs`, (ctx, _p, r) => {
    const doc = 'https://docs.github.com/rest/git/refs#create-a-reference'
    const b = asRecord(ctx.body)
    if (typeof b.ref !== 'string' || typeof b.sha !== 'string') {
      throw validationFailed(doc, [
        { resource: 'Reference', code: 'missing_field', field: typeof b.ref !== 'string' ? 'ref' : 'sha' },
      ])
    }
    if (!/^refs\/[^/]+\/.+/.test(b.ref))
      throw new HttpError(422, { message: `${b.ref} is not a valid ref name.`, documentation_url: doc, status: '422' })
    if (refs.has(b.ref))
      throw new HttpError(422, { message: 'Reference already exists', documentation_url: doc, status: '422' })
    const ref = addRef(b.ref, b.sha)
    return { status: 201, body: renderRef(ref, r), headers: { location: `${r.api}/git/${ref.ref}` } }
  })
  route('GET', `${R}/git/ref/{ref+}`, (_ctx, [, , ref], r) => {
    const found = refs.get(`refs/${ref}`)
    if (!found) throw notFound('https://docs.github.com/rest/git/refs#get-a-reference')
    return { status: 200, body: renderRef(found, r) }
  })
  route('GET', `${R}/git/matching-refs/{ref+}`, (ctx, [, , ref], r) => {
    const prefix = `refs/${ref}`
    const list = [...refs.values()]
      .filter((x) => x.ref.startsWith(prefix))
      .sort((a, b) => a.ref.localeCompare(b.ref))
      .map((x) => renderRef(x, r))
    return paginate(ctx, list)
  })
  route('PATCH', `${R}/git/refs/{ref+}`, (ctx, [, , ref], r) => {
    const found = refs.get(`refs/${ref}`)
    const doc = 'https://docs.github.com/rest/git/refs#update-a-reference'
    if (!found) throw new HttpError(422, { message: 'Reference does not exist', documentation_url: doc, status: '422' })
    const b = asRecord(ctx.body)
    if (typeof b.sha !== 'string')
      throw validationFailed(doc, [{ resource: 'Reference', code: 'missing_field', field: 'sha' }])
    const updated = addRef(found.ref, b.sha)
    return { status: 200, body: renderRef(updated, r) }
  })
  route('DELETE', `${R}/git/refs/{ref+}`, (_ctx, [, , ref]) => {
    if (!refs.delete(`refs/${ref}`)) {
      throw new HttpError(422, {
        message: 'Reference does not exist',
        documentation_url: 'https://docs.github.com/rest/git/refs#delete-a-reference',
        status: '422',
      })
    }
    return { status: 204 }
  })

  // deployments
  route('POST', `${R}/deployments`, (ctx, _p, r) => {
    const doc = 'https://docs.github.com/rest/deployments/deployments#create-a-deployment'
    const b = asRecord(ctx.body)
    if (typeof b.ref !== 'string' || b.ref === '')
      throw validationFailed(doc, [{ resource: 'Deployment', code: 'missing_field', field: 'ref' }])
    const ref = b.ref
    const sha = /^[0-9a-f]{40}$/.test(ref)
      ? ref
      : (refs.get(`refs/heads/${ref}`)?.sha ??
        refs.get(`refs/tags/${ref}`)?.sha ??
        refs.get(ref)?.sha ??
        sha1(`ref:${ref}`))
    const environment = typeof b.environment === 'string' ? b.environment : 'production'
    const ts = isoNow(now)
    const id = nextDeploymentId++
    const d: StoredDeployment = {
      id,
      node_id: nodeId('DE', id),
      sha,
      ref,
      task: typeof b.task === 'string' ? b.task : 'deploy',
      payload: b.payload === undefined ? {} : typeof b.payload === 'string' ? safeJson(b.payload) : b.payload,
      environment,
      original_environment: environment,
      description: typeof b.description === 'string' ? b.description : null,
      transient_environment: b.transient_environment === true,
      production_environment:
        typeof b.production_environment === 'boolean' ? b.production_environment : environment === 'production',
      creator: ctx.user,
      created_at: ts,
      updated_at: ts,
      request: b,
      statuses: [],
    }
    deployments.push(d)
    knowCommit(sha)
    return { status: 201, body: renderDeployment(d, r) }
  })
  route('GET', `${R}/deployments`, (ctx, _p, r) => {
    const q = ctx.query
    const list = [...deployments]
      .reverse()
      .filter((d) => !q.get('sha') || d.sha === q.get('sha'))
      .filter((d) => !q.get('ref') || d.ref === q.get('ref'))
      .filter((d) => !q.get('task') || d.task === q.get('task'))
      .filter((d) => !q.get('environment') || d.environment === q.get('environment'))
      .map((d) => renderDeployment(d, r))
    return paginate(ctx, list)
  })
  const requireDeployment = (id: string | undefined): StoredDeployment => {
    const d = deployments.find((x) => x.id === num(id))
    if (!d) throw notFound('https://docs.github.com/rest/deployments/deployments#get-a-deployment')
    return d
  }
  route('GET', `${R}/deployments/{id}`, (_ctx, [, , id], r) => ({
    status: 200,
    body: renderDeployment(requireDeployment(id), r),
  }))
  route('POST', `${R}/deployments/{id}/statuses`, (ctx, [, , id], r) => {
    const doc = 'https://docs.github.com/rest/deployments/statuses#create-a-deployment-status'
    const d = requireDeployment(id)
    const b = asRecord(ctx.body)
    const states = ['error', 'failure', 'inactive', 'in_progress', 'queued', 'pending', 'success']
    if (typeof b.state !== 'string' || !states.includes(b.state)) {
      throw validationFailed(doc, [{ resource: 'DeploymentStatus', code: 'invalid', field: 'state' }])
    }
    const ts = isoNow(now)
    const sid = nextStatusId++
    const environment = typeof b.environment === 'string' ? b.environment : d.environment
    const s: StoredDeploymentStatus = {
      id: sid,
      node_id: nodeId('DES', sid),
      state: b.state,
      description: typeof b.description === 'string' ? b.description : '',
      environment,
      target_url: typeof b.target_url === 'string' ? b.target_url : typeof b.log_url === 'string' ? b.log_url : '',
      log_url: typeof b.log_url === 'string' ? b.log_url : typeof b.target_url === 'string' ? b.target_url : '',
      environment_url: typeof b.environment_url === 'string' ? b.environment_url : '',
      creator: ctx.user,
      created_at: ts,
      updated_at: ts,
    }
    d.statuses.push(s)
    d.environment = environment
    d.updated_at = ts
    // auto_inactive (default true): a success marks earlier successful deployments of the same
    // non-transient environment inactive, as GitHub does.
    if (s.state === 'success' && b.auto_inactive !== false && !d.transient_environment) {
      for (const other of deployments) {
        const last = other.statuses[other.statuses.length - 1]
        if (other !== d && other.environment === environment && last?.state === 'success') {
          const iid = nextStatusId++
          other.statuses.push({
            ...last,
            id: iid,
            node_id: nodeId('DES', iid),
            state: 'inactive',
            description: '',
            created_at: ts,
            updated_at: ts,
          })
          other.updated_at = ts
        }
      }
    }
    return { status: 201, body: renderStatus(d, s, r) }
  })
  route('GET', `${R}/deployments/{id}/statuses`, (ctx, [, , id], r) => {
    const d = requireDeployment(id)
    return paginate(
      ctx,
      [...d.statuses].reverse().map((s) => renderStatus(d, s, r)),
    )
  })

  // environments
  route('GET', `${R}/environments`, (ctx, _p, r) => {
    const all = [...environments.entries()].filter(([, e]) => !e.unreadable)
    const perPage = Math.min(100, Math.max(1, parseInt(ctx.query.get('per_page') ?? '30', 10) || 30))
    const page = Math.max(1, parseInt(ctx.query.get('page') ?? '1', 10) || 1)
    const envs = all.slice((page - 1) * perPage, page * perPage).map(([name, e]) => renderEnvironment(name, e, r))
    return { status: 200, body: { total_count: all.length, environments: envs } }
  })
  route('GET', `${R}/environments/{name}`, (_ctx, [, , name], r) => {
    const decoded = decodeURIComponent(name!)
    const e = environments.get(decoded)
    if (!e) throw notFound('https://docs.github.com/rest/deployments/environments#get-an-environment')
    if (e.unreadable) throw notAccessible('https://docs.github.com/rest/deployments/environments#get-an-environment')
    return { status: 200, body: renderEnvironment(decoded, e, r) }
  })

  // releases
  const DOC_RELEASES = 'https://docs.github.com/rest/releases/releases'
  const MAX_RELEASE_BODY = 125_000
  const renderRelease = (rel: StoredRelease, r: Repo): Record<string, unknown> => ({
    ...rel,
    url: `${r.api}/releases/${rel.id}`,
    html_url: `${r.web}/releases/tag/${encodeURIComponent(rel.tag_name)}`,
    tarball_url: `${r.api}/tarball/${rel.tag_name}`,
    zipball_url: `${r.api}/zipball/${rel.tag_name}`,
    assets: [],
  })
  const releaseFields = (b: Record<string, unknown>, doc: string, rel: StoredRelease): void => {
    if ('body' in b) {
      if (b.body !== null && typeof b.body !== 'string')
        throw validationFailed(doc, [{ resource: 'Release', code: 'invalid', field: 'body' }])
      if (typeof b.body === 'string' && bodyLength(b.body) > MAX_RELEASE_BODY) {
        throw validationFailed(doc, [
          {
            resource: 'Release',
            code: 'custom',
            field: 'body',
            message: `body is too long (maximum is ${MAX_RELEASE_BODY} characters)`,
          },
        ])
      }
      rel.body = b.body
    }
    if (typeof b.name === 'string') rel.name = b.name
    if (typeof b.target_commitish === 'string') rel.target_commitish = b.target_commitish
    if (typeof b.draft === 'boolean') rel.draft = b.draft
    if (typeof b.prerelease === 'boolean') rel.prerelease = b.prerelease
    if ('make_latest' in b) {
      if (!['true', 'false', 'legacy'].includes(String(b.make_latest)))
        throw validationFailed(doc, [{ resource: 'Release', code: 'invalid', field: 'make_latest' }])
      rel.make_latest = String(b.make_latest)
    }
    rel.published_at = rel.draft ? null : (rel.published_at ?? isoNow(now))
  }
  route('POST', `${R}/releases`, (ctx, _p, r) => {
    const doc = `${DOC_RELEASES}#create-a-release`
    const b = asRecord(ctx.body)
    if (typeof b.tag_name !== 'string' || b.tag_name === '')
      throw validationFailed(doc, [{ resource: 'Release', code: 'missing_field', field: 'tag_name' }])
    if ([...releases.values()].some((x) => x.tag_name === b.tag_name)) {
      throw validationFailed(doc, [{ resource: 'Release', code: 'already_exists', field: 'tag_name' }])
    }
    const ts = isoNow(now)
    const id = nextReleaseId++
    const rel: StoredRelease = {
      id,
      node_id: nodeId('RE', id),
      tag_name: b.tag_name,
      target_commitish: 'main',
      name: null,
      body: null,
      draft: false,
      prerelease: false,
      make_latest: 'true',
      author: ctx.user,
      created_at: ts,
      published_at: null,
    }
    releaseFields(b, doc, rel)
    releases.set(id, rel)
    return { status: 201, body: renderRelease(rel, r), headers: { location: `${r.api}/releases/${id}` } }
  })
  route('GET', `${R}/releases`, (ctx, _p, r) =>
    paginate(
      ctx,
      [...releases.values()].reverse().map((x) => renderRelease(x, r)),
    ),
  )
  route('GET', `${R}/releases/tags/{tag+}`, (_ctx, [, , tag], r) => {
    const rel = [...releases.values()].find((x) => x.tag_name === tag)
    if (!rel) throw notFound(`${DOC_RELEASES}#get-a-release-by-tag-name`)
    return { status: 200, body: renderRelease(rel, r) }
  })
  route('PATCH', `${R}/releases/{id}`, (ctx, [, , id], r) => {
    const doc = `${DOC_RELEASES}#update-a-release`
    const rel = releases.get(num(id))
    if (!rel) throw notFound(doc)
    const b = asRecord(ctx.body)
    if (typeof b.tag_name === 'string') rel.tag_name = b.tag_name
    releaseFields(b, doc, rel)
    return { status: 200, body: renderRelease(rel, r) }
  })

  // code scanning: what upload-sarif and the REST API send (gzip + base64 SARIF); processing is immediate
  const DOC_SARIF = 'https://docs.github.com/rest/code-scanning/code-scanning'
  route('POST', `${R}/code-scanning/sarifs`, (ctx, _p, r) => {
    const doc = `${DOC_SARIF}#upload-an-analysis-as-sarif-data`
    const b = asRecord(ctx.body)
    for (const field of ['commit_sha', 'ref', 'sarif']) {
      if (typeof b[field] !== 'string' || b[field] === '')
        throw new HttpError(422, {
          message: `Invalid request.\n\n"${field}" wasn't supplied.`,
          documentation_url: doc,
          status: '422',
        })
    }
    if (!/^[0-9a-fA-F]{40}$/.test(b.commit_sha as string))
      throw new HttpError(422, {
        message: `Invalid request.\n\n${JSON.stringify(b.commit_sha)} does not match "^[0-9a-fA-F]+$" or is not 40 characters.`,
        documentation_url: doc,
        status: '422',
      })
    if (!/^refs\/(heads|tags|pull)\/.+$/.test(b.ref as string))
      throw new HttpError(422, {
        message: `Invalid request.\n\n${JSON.stringify(b.ref)} does not match "^refs/(heads|tags|pull)/.*$".`,
        documentation_url: doc,
        status: '422',
      })
    let sarif: StoredSarifUpload['sarif']
    try {
      sarif = JSON.parse(gunzipSync(Buffer.from(b.sarif as string, 'base64')).toString('utf8'))
    } catch {
      throw new HttpError(400, {
        message: 'Invalid SARIF: the sarif field must be gzip-compressed, base64-encoded SARIF JSON',
        documentation_url: doc,
        status: '400',
      })
    }
    if (sarif?.version !== '2.1.0' || !Array.isArray(sarif.runs))
      throw new HttpError(400, {
        message: 'Invalid SARIF: version 2.1.0 with a runs array is required',
        documentation_url: doc,
        status: '400',
      })
    const id = createHash('sha1')
      .update(`sarif:${sarifUploads.length}:${b.sarif as string}`)
      .digest('hex')
      .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12}).*$/, '$1-$2-$3-$4-$5')
    sarifUploads.push({
      id,
      commit_sha: b.commit_sha as string,
      ref: b.ref as string,
      tool_name: typeof b.tool_name === 'string' ? b.tool_name : undefined,
      checkout_uri: typeof b.checkout_uri === 'string' ? b.checkout_uri : undefined,
      sarif,
      created_at: isoNow(now),
    })
    return { status: 202, body: { id, url: `${r.api}/code-scanning/sarifs/${id}` } }
  })
  route('GET', `${R}/code-scanning/sarifs/{id}`, (_ctx, [, , id], r) => {
    if (!sarifUploads.some((u) => u.id === id)) throw notFound(`${DOC_SARIF}#get-information-about-a-sarif-upload`)
    return {
      status: 200,
      body: {
        processing_status: 'complete',
        analyses_url: `${r.api}/code-scanning/analyses?sarif_id=${id}`,
        errors: null,
      },
    }
  })

  // actions
  route('GET', `${R}/actions/runs/{id}`, (_ctx, [owner, , id], r) => {
    const doc = 'https://docs.github.com/rest/actions/workflow-runs#get-a-workflow-run'
    const run = workflowRuns.get(num(id))
    if (!run) throw notFound(doc)
    if (run.unreadable) throw notAccessible(doc)
    const created = run.created_at ?? run.run_started_at ?? isoNow(now)
    return {
      status: 200,
      body: {
        id: run.id,
        name: run.name ?? 'deploy',
        node_id: nodeId('WFR', run.id),
        head_branch: run.head_branch ?? 'main',
        head_sha: run.head_sha ?? sha1(`run:${run.id}`),
        path: '.github/workflows/deploy.yml',
        display_title: run.name ?? 'deploy',
        run_number: run.run_number ?? 1,
        run_attempt: run.run_attempt ?? 1,
        event: run.event ?? 'push',
        status: run.status ?? 'in_progress',
        conclusion: run.conclusion ?? null,
        workflow_id: 161335,
        url: `${r.api}/actions/runs/${run.id}`,
        html_url: `${r.web}/actions/runs/${run.id}`,
        created_at: created,
        updated_at: created,
        run_started_at: run.run_started_at ?? created,
        actor: userFor(run.actor ?? owner!, 'User'),
        triggering_actor: userFor(run.actor ?? owner!, 'User'),
        jobs_url: `${r.api}/actions/runs/${run.id}/jobs`,
        logs_url: `${r.api}/actions/runs/${run.id}/logs`,
        artifacts_url: `${r.api}/actions/runs/${run.id}/artifacts`,
      },
    }
  })

  // GraphQL: the minimizeComment mutation here, queries in github-graphql.ts.
  const graphql = async (ctx: Ctx): Promise<Reply> => {
    const b = asRecord(ctx.body)
    const query = typeof b.query === 'string' ? b.query : ''
    const variables = asRecord(b.variables)
    if (!/\bminimizeComment\s*\(/.test(query)) {
      const state = {
        deployments: () => deployments,
        refs: () => [...refs.values()],
        tagObject: (sha: string) => tagObjects.get(sha),
        commit: (sha: string) => commits.get(sha),
        // GitHub creates an environment for every name a deployment uses.
        environmentNames: () => [...new Set([...environments.keys(), ...deployments.map((d) => d.environment)])],
      }
      return { status: 200, body: await executeGraphql(state, b, (owner, name) => `${webBase}/${owner}/${name}`) }
    }
    // subjectId and classifier: inline literals or variables.
    const resolve = (field: string): string | undefined => {
      const lit = new RegExp(`${field}\\s*:\\s*"([^"]*)"`).exec(query)
      if (lit) return lit[1]
      const v = new RegExp(`${field}\\s*:\\s*\\$([A-Za-z_][A-Za-z0-9_]*)`).exec(query)
      if (v && typeof variables[v[1]!] === 'string') return variables[v[1]!] as string
      const bare = new RegExp(`${field}\\s*:\\s*([A-Z_]+)`).exec(query)
      if (bare) return bare[1]
      const input = asRecord(variables.input)
      return typeof input[field] === 'string' ? input[field] : undefined
    }
    const subjectId = resolve('subjectId')
    const classifier = resolve('classifier')
    const classifiers = ['SPAM', 'ABUSE', 'OFF_TOPIC', 'OUTDATED', 'DUPLICATE', 'RESOLVED']
    if (!classifier || !classifiers.includes(classifier)) {
      return {
        status: 200,
        body: {
          errors: [
            {
              message: `Argument 'classifier' on InputObject 'MinimizeCommentInput' has an invalid value (${classifier ?? 'null'}). Expected type 'ReportedContentClassifiers!'.`,
            },
          ],
        },
      }
    }
    const comment = [...comments.values()].find((c) => c.node_id === subjectId)
    if (!comment) {
      return {
        status: 200,
        body: {
          data: { minimizeComment: null },
          errors: [
            {
              type: 'NOT_FOUND',
              path: ['minimizeComment'],
              locations: [{ line: 1, column: 1 }],
              message: `Could not resolve to a node with the global id of '${subjectId ?? ''}'`,
            },
          ],
        },
      }
    }
    comment.isMinimized = true
    comment.minimizedReason = classifier.toLowerCase()
    return {
      status: 200,
      body: {
        data: {
          minimizeComment: { minimizedComment: { isMinimized: true, minimizedReason: comment.minimizedReason } },
        },
      },
    }
  }

  // ---- server -------------------------------------------------------------------------------------

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1')
      const method = (req.method ?? 'GET').toUpperCase()
      const text = await readBody(req)
      let body: unknown = undefined
      if (text !== '') {
        try {
          body = JSON.parse(text)
        } catch {
          body = text
        }
      }
      const headers: Record<string, string> = {}
      for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(', ') : (v ?? '')
      const query: Record<string, string> = {}
      for (const [k, v] of url.searchParams) query[k] = v
      let decodedPath = url.pathname
      try {
        decodedPath = decodeURIComponent(url.pathname)
      } catch {
        /* keep raw */
      }
      requests.push({ method, path: decodedPath, rawPath: url.pathname, query, headers, body })

      const fault = faults.find(
        (f) =>
          f.remaining > 0 &&
          (!f.match.method || f.match.method.toUpperCase() === method) &&
          (typeof f.match.path === 'string' ? f.match.path === decodedPath : f.match.path.test(decodedPath)),
      )
      if (fault) {
        fault.remaining--
        send(
          res,
          { status: fault.response.status, body: fault.response.body, headers: fault.response.headers },
          true,
          method,
        )
        return
      }

      const auth = /^(?:token|bearer)\s+(.+)$/i.exec(headers.authorization ?? '')
      const identity = auth ? tokens[auth[1]!.trim()] : undefined
      if (!identity) {
        send(
          res,
          {
            status: 401,
            body: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' },
          },
          false,
          method,
        )
        return
      }
      const user = makeUser(webBase, apiBase, identity.login, identity.type, identity.id)
      let path = url.pathname.replace(/\/+$/, '') || '/'
      if (path.startsWith('/api/v3/') || path === '/api/v3') path = path.slice('/api/v3'.length) || '/'
      const ctx: Ctx = { req, method, path: url.pathname, query: url.searchParams, body, user, identity }
      try {
        let reply: Reply | undefined
        if (method === 'POST' && (path === '/graphql' || path === '/api/graphql')) {
          reply = await graphql(ctx)
        } else {
          for (const rt of routes) {
            if (rt.method !== method) continue
            const m = rt.pattern.exec(path)
            if (!m) continue
            const params = m.slice(1).map((p) => decodeURIComponent(p))
            reply = rt.handler(ctx, params, parseRepo(params[0] ?? '', params[1] ?? ''))
            break
          }
        }
        if (!reply) throw notFound()
        send(res, reply, true, method, headers['if-none-match'])
      } catch (error) {
        if (error instanceof HttpError)
          send(res, { status: error.status, body: error.body, headers: error.headers }, true, method)
        else send(res, { status: 500, body: { message: `test server error: ${String(error)}` } }, true, method)
      }
    })()
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  apiBase = `http://127.0.0.1:${port}`

  return {
    url: apiBase,
    graphqlUrl: `${apiBase}/graphql`,
    requests,
    resetRequests: () => {
      requests.length = 0
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
    failNext: (match, response, times = 1) => {
      faults.push({ match, response, remaining: times })
    },
    rateLimitUsed: () => counted,
    addPullRequest,
    pullRequests: () => [...issues.values()].filter((i) => i.pull).sort((a, b) => a.number - b.number),
    associateCommit,
    addComment: (issueNumber, seed) => addComment(issueNumber, seed),
    comments: (issueNumber) => [...comments.values()].filter((c) => c.issue_number === issueNumber),
    minimizedComments: () => [...comments.values()].filter((c) => c.isMinimized),
    addIssue: (seed) => addIssueRecord(seed, userFor(seed.login ?? 'github-actions[bot]', seed.type)),
    issues: () => [...issues.values()].filter((i) => !i.pull).sort((a, b) => a.number - b.number),
    addRef,
    refs: () => [...refs.values()],
    tagObjects: () => [...tagObjects.values()],
    deployments: () => [...deployments].reverse(),
    setEnvironment: (name, settings = {}) => {
      const existing = environments.get(name)
      environments.set(name, {
        ...settings,
        id: existing?.id ?? nextEnvId++,
        created_at: existing?.created_at ?? isoNow(now),
      })
    },
    setWorkflowRun: (seed) => {
      workflowRuns.set(seed.id, seed)
    },
    releases: () => [...releases.values()],
    sarifUploads: () => [...sarifUploads],
    addCommit: (seed) => {
      const c: StoredCommit = {
        sha: seed.sha,
        committedDate: seed.committedDate,
        authoredDate: seed.authoredDate ?? seed.committedDate,
        message: seed.message ?? `commit ${seed.sha.slice(0, 7)}`,
      }
      commits.set(seed.sha, c)
      return c
    },
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}
