import type { GitHubClient as Octokit } from './client.js'
import type { Logger } from '@tfpipe/kit/logger.js'
import { type GitHubClient } from './client.js'
import { describeGitHubError } from './errors.js'
import { minimizeComment as minimizeViaGraphql } from './graphql.js'

/**
 * Sticky PR comments: one comment per identity (environment + directory, read from a hidden marker),
 * written only by the token's own identity. A person's comment that quotes our marker, or another bot's,
 * is never touched.
 *
 * Request budget: GET /user once (403 for GITHUB_TOKEN, then the identity is github-actions[bot]),
 * one GET per 100 comments (Link pagination), one PATCH or POST; `new` adds one GraphQL mutation.
 */

/** Just what these helpers call; satisfied by createGitHubClient() and any @actions/github Octokit. */
export type CommentsClient = Pick<Octokit, 'request'>

export const GITHUB_ACTIONS_BOT = 'github-actions[bot]'

export interface CommentTarget {
  owner: string
  repo: string
  issueNumber: number
}

export interface FoundComment {
  id: number
  nodeId: string
  body: string
  htmlUrl: string
  author: string
}

function statusOf(error: unknown): number | undefined {
  const s = (error as { status?: unknown } | null | undefined)?.status
  return typeof s === 'number' ? s : undefined
}

/**
 * The login comments written with this token carry. A PAT (or an App user token) answers GET /user;
 * GITHUB_TOKEN and installation tokens get 403 "Resource not accessible by integration": those write
 * as github-actions[bot].
 */
export async function resolveTokenIdentity(client: CommentsClient, logger: Logger): Promise<string> {
  try {
    const { data } = await client.request('GET /user')
    const login = (data as { login?: string }).login
    if (login) return login
  } catch (error) {
    const status = statusOf(error)
    if (status !== 403 && status !== 404) throw error
    logger.debug(`GET /user answered ${status}: writing as ${GITHUB_ACTIONS_BOT}`)
  }
  return GITHUB_ACTIONS_BOT
}

function hasNextPage(link: string | undefined): boolean {
  return typeof link === 'string' && link.includes('rel="next"')
}

/**
 * Every comment on the issue/PR by `author` whose body satisfies `match`, oldest first. Reads all pages
 * (100 per page) but keeps only the matching ones in memory.
 */
export async function findComments(
  client: CommentsClient,
  target: CommentTarget,
  author: string,
  match: (body: string) => boolean,
): Promise<FoundComment[]> {
  const found: FoundComment[] = []
  for (let page = 1; ; page++) {
    const response = await client.request('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
      owner: target.owner,
      repo: target.repo,
      issue_number: target.issueNumber,
      per_page: 100,
      page,
    })
    const items = response.data as {
      id: number
      node_id: string
      body?: string | null
      html_url: string
      user?: { login?: string } | null
    }[]
    for (const c of items) {
      const login = c.user?.login ?? ''
      if (login.toLowerCase() !== author.toLowerCase()) continue
      const body = c.body ?? ''
      if (!match(body)) continue
      found.push({ id: c.id, nodeId: c.node_id, body, htmlUrl: c.html_url, author: login })
    }
    if (!hasNextPage(response.headers.link) || items.length === 0) break
  }
  return found
}

export function isBodyTooLong(error: unknown): boolean {
  if (statusOf(error) !== 422) return false
  const data = (error as { response?: { data?: unknown } }).response?.data
  const text = `${JSON.stringify(data ?? '')} ${(error as { message?: string }).message ?? ''}`
  return /too long/i.test(text)
}

export type CommentMode = 'update' | 'new' | 'changes-only'

export interface UpsertOptions {
  target: CommentTarget
  mode: CommentMode
  /** Identity test on an existing body (our marker for this environment and directory). */
  isOurs: (body: string) => boolean
  body: string
  /** A short body used once if GitHub still answers 422 "body is too long". */
  minimalBody: string
  /** For changes-only: whether to create a comment when none exists. */
  hasChanges: boolean
  /** The token's login; resolved with GET /user when omitted. */
  author?: string
  logger: Logger
}

export interface UpsertResult {
  action: 'created' | 'updated' | 'skipped'
  id?: number
  url?: string
  /** Comments minimised as outdated (mode new). */
  minimized: number[]
  /** True when the minimal body had to be used. */
  minimal: boolean
}

async function writeWithFallback(
  write: (body: string) => Promise<{ id: number; html_url: string }>,
  body: string,
  minimalBody: string,
  logger: Logger,
): Promise<{ id: number; html_url: string; minimal: boolean }> {
  try {
    return { ...(await write(body)), minimal: false }
  } catch (error) {
    if (!isBodyTooLong(error)) throw error
    logger.warning(
      `GitHub refused the comment as too long (${body.length} characters); retrying once with a minimal body.`,
    )
    return { ...(await write(minimalBody)), minimal: true }
  }
}

/** Minimises a comment as OUTDATED (GraphQL minimizeComment); failures are warnings. */
export async function minimizeComment(client: CommentsClient, nodeId: string, logger: Logger): Promise<boolean> {
  try {
    const result = await minimizeViaGraphql(client as GitHubClient, nodeId, 'OUTDATED')
    return result.isMinimized
  } catch (error) {
    logger.warning(describeGitHubError(error, 'Minimising the previous plan comment'))
    return false
  }
}

/**
 * Creates or updates the sticky comment:
 *  - update: edit the newest of our comments for this identity, or create one;
 *  - changes-only: the same, except that no comment is created when the plan has no changes
 *    (an existing one is still updated, so a stale plan never stays);
 *  - new: post a new comment and minimise our previous one as outdated.
 */
export async function upsertComment(client: CommentsClient, options: UpsertOptions): Promise<UpsertResult> {
  const { target, logger } = options
  const author = options.author ?? (await resolveTokenIdentity(client, logger))
  const existing = await findComments(client, target, author, options.isOurs)
  const latest = existing[existing.length - 1]
  const create = async (body: string): Promise<{ id: number; html_url: string }> => {
    const { data } = await client.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
      owner: target.owner,
      repo: target.repo,
      issue_number: target.issueNumber,
      body,
    })
    return { id: Number(data.id), html_url: data.html_url }
  }
  if (options.mode === 'new' || !latest) {
    if (!latest && options.mode === 'changes-only' && !options.hasChanges) {
      logger.info('No changes and no earlier plan comment: not commenting (comment: changes-only).')
      return { action: 'skipped', minimized: [], minimal: false }
    }
    const written = await writeWithFallback(create, options.body, options.minimalBody, logger)
    const minimized: number[] = []
    if (options.mode === 'new' && latest && (await minimizeComment(client, latest.nodeId, logger)))
      minimized.push(latest.id)
    return { action: 'created', id: written.id, url: written.html_url, minimized, minimal: written.minimal }
  }
  if (latest.body === options.body) {
    logger.info('The plan comment is already up to date.')
    return { action: 'updated', id: latest.id, url: latest.htmlUrl, minimized: [], minimal: false }
  }
  const update = async (body: string): Promise<{ id: number; html_url: string }> => {
    const { data } = await client.request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', {
      owner: target.owner,
      repo: target.repo,
      comment_id: latest.id,
      body,
    })
    return { id: Number(data.id), html_url: data.html_url }
  }
  const written = await writeWithFallback(update, options.body, options.minimalBody, logger)
  return { action: 'updated', id: written.id, url: written.html_url, minimized: [], minimal: written.minimal }
}
