import type { GitHubClient as Octokit } from './client.js'

/**
 * Issue helpers shared by actions that keep a long-lived issue (drift-check): one paginated listing by
 * label (open AND closed, pull requests dropped), create, update (body/state/state_reason), comment.
 * Each helper is one REST request (the listing one per page of 100), so a caller can count its calls.
 */

export interface RepoRef {
  owner: string
  repo: string
}

export interface IssueInfo {
  number: number
  title: string
  body: string
  state: 'open' | 'closed'
  stateReason: string | null
  labels: string[]
  htmlUrl: string
  createdAt: string
  updatedAt: string
}

/** Just what these helpers call; satisfied by createGitHubClient() and any @actions/github Octokit. */
export type IssuesClient = Pick<Octokit, 'paginate' | 'rest'>

interface RawIssue {
  number: number
  title: string
  body?: string | null
  state: string
  state_reason?: string | null
  labels?: (string | { name?: string | null })[]
  html_url: string
  created_at: string
  updated_at: string
  pull_request?: unknown
}

export function toIssueInfo(raw: RawIssue): IssueInfo {
  return {
    number: raw.number,
    title: raw.title,
    body: raw.body ?? '',
    state: raw.state === 'closed' ? 'closed' : 'open',
    stateReason: raw.state_reason ?? null,
    labels: (raw.labels ?? []).map((l) => (typeof l === 'string' ? l : (l.name ?? ''))).filter((l) => l !== ''),
    htmlUrl: raw.html_url,
    createdAt: raw.created_at,
    updatedAt: raw.updated_at,
  }
}

/**
 * Every issue (open and closed) carrying `label`, following Link pagination 100 per page, newest
 * first. Pull requests (which the issues API also returns) are dropped.
 */
export async function listIssuesWithLabel(client: IssuesClient, repo: RepoRef, label: string): Promise<IssueInfo[]> {
  const raw = (await client.paginate(client.rest.issues.listForRepo, {
    owner: repo.owner,
    repo: repo.repo,
    labels: label,
    state: 'all',
    sort: 'created',
    direction: 'desc',
    per_page: 100,
  })) as RawIssue[]
  return raw.filter((i) => !i.pull_request).map(toIssueInfo)
}

export async function createIssue(
  client: IssuesClient,
  repo: RepoRef,
  issue: { title: string; body: string; labels: string[] },
): Promise<IssueInfo> {
  const { data } = await client.rest.issues.create({
    owner: repo.owner,
    repo: repo.repo,
    title: issue.title,
    body: issue.body,
    labels: issue.labels,
  })
  return toIssueInfo(data)
}

export interface IssueUpdate {
  title?: string
  body?: string
  state?: 'open' | 'closed'
  /** Only with a state change: `completed` / `not_planned` when closing, `reopened` when opening. */
  stateReason?: 'completed' | 'not_planned' | 'reopened'
  labels?: string[]
}

export async function updateIssue(
  client: IssuesClient,
  repo: RepoRef,
  issueNumber: number,
  update: IssueUpdate,
): Promise<IssueInfo> {
  const params: Parameters<IssuesClient['rest']['issues']['update']>[0] = {
    owner: repo.owner,
    repo: repo.repo,
    issue_number: issueNumber,
  }
  if (update.title !== undefined) params.title = update.title
  if (update.body !== undefined) params.body = update.body
  if (update.state !== undefined) params.state = update.state
  if (update.stateReason !== undefined) params.state_reason = update.stateReason
  if (update.labels !== undefined) params.labels = update.labels
  const { data } = await client.rest.issues.update(params)
  return toIssueInfo(data)
}

export async function commentOnIssue(
  client: IssuesClient,
  repo: RepoRef,
  issueNumber: number,
  body: string,
): Promise<{ id: number; htmlUrl: string }> {
  const { data } = await client.rest.issues.createComment({
    owner: repo.owner,
    repo: repo.repo,
    issue_number: issueNumber,
    body,
  })
  return { id: data.id, htmlUrl: data.html_url }
}
