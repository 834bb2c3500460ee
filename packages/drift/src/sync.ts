import type { Logger } from '@tfpipe/kit/logger.js'
import { errorMessage } from '@tfpipe/kit/errors.js'
import {
  commentOnIssue,
  createIssue,
  listIssuesWithLabel,
  updateIssue,
  type IssueInfo,
  type IssuesClient,
  type RepoRef,
} from '@tfpipe/github/issues.js'
import {
  newState,
  parseIssueMarker,
  parseState,
  issueTitle,
  renderChangedComment,
  renderIssueBody,
  renderResolvedBody,
  renderResolvedComment,
  type BodyContext,
} from './issue-body.js'
import type { StackResult } from './types.js'

export type IssueAction = 'opened' | 'updated' | 'commented' | 'closed' | 'reopened' | 'none' | 'skipped' | 'failed'

export interface IssueOutcome {
  dir: string
  action: IssueAction
  number?: number
  url?: string
  error?: string
}

export interface SyncOptions {
  client: IssuesClient
  repo: RepoRef
  environment: string
  /** Labels put on new issues; the first one is the lookup label. */
  labels: string[]
  mode: string
  runUrl: string
  now: () => Date
  logger: Logger
  /** Turns a GitHub error into one line saying what failed (describeGitHubError); default: `what failed: message`. */
  describeError?: (error: unknown, what: string) => string
}

/** Picks the issue of a stack among duplicates: an open one (the oldest), else the most recently updated. */
function pick(candidates: IssueInfo[]): IssueInfo | undefined {
  const open = candidates.filter((i) => i.state === 'open').sort((a, b) => a.number - b.number)
  if (open[0]) return open[0]
  return [...candidates].sort((a, b) =>
    a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : b.number - a.number,
  )[0]
}

/**
 * Indexes the issues of one listing by stack dir, keeping only issues whose body carries our marker
 * for this environment (issues without the marker are never touched).
 */
export function indexIssues(issues: IssueInfo[], environment: string): Map<string, IssueInfo> {
  const byDir = new Map<string, IssueInfo[]>()
  for (const issue of issues) {
    const marker = parseIssueMarker(issue.body)
    if (marker?.environment !== environment) continue
    const list = byDir.get(marker.dir) ?? []
    list.push(issue)
    byDir.set(marker.dir, list)
  }
  const out = new Map<string, IssueInfo>()
  for (const [dir, list] of byDir) {
    const chosen = pick(list)
    if (chosen) out.set(dir, chosen)
  }
  return out
}

/**
 * Brings one issue per (environment, dir) in line with this run's results, with ONE paginated lookup
 * for all stacks and then at most two requests per stack whose issue changes:
 *  - drifted, no issue          -> create (1)
 *  - drifted, open issue        -> update body (1) [+ comment when the drifted set changed (1)]
 *  - drifted, closed issue      -> reopen with a fresh body and a new `since` (1)
 *  - clean, open issue          -> comment (1) + close as completed with a resolved body (1)
 *  - clean, no/closed issue     -> nothing
 *  - error                      -> nothing (we do not know; the issue keeps its last state)
 */
export async function syncDriftIssues(results: StackResult[], options: SyncOptions): Promise<IssueOutcome[]> {
  const { client, repo, logger } = options
  const describe = options.describeError ?? ((error: unknown, what: string) => `${what} failed: ${errorMessage(error)}`)
  const label = options.labels[0] ?? 'drift'
  const checkedAt = options
    .now()
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
  const ctx: BodyContext = { environment: options.environment, mode: options.mode, checkedAt, runUrl: options.runUrl }

  let existing: Map<string, IssueInfo>
  try {
    existing = indexIssues(await listIssuesWithLabel(client, repo, label), options.environment)
  } catch (error) {
    const message = `${describe(error, `Listing the issues labelled '${label}'`)} (drift-check needs issues: write)`
    logger.warning(`drift issues not updated: ${message}`)
    return results.map((r) => ({ dir: r.dir, action: 'failed', error: message }))
  }

  const outcomes: IssueOutcome[] = []
  for (const result of results) {
    const issue = existing.get(result.dir)
    const base = issue ? { number: issue.number, url: issue.htmlUrl } : {}
    let what = issue ? `Updating drift issue #${issue.number}` : `Opening the drift issue for ${result.dir}`
    try {
      if (result.status === 'error') {
        outcomes.push({ dir: result.dir, action: 'skipped', ...base })
        continue
      }
      if (result.status === 'clean') {
        if (issue?.state !== 'open') {
          outcomes.push({ dir: result.dir, action: 'none', ...base })
          continue
        }
        what = `Closing drift issue #${issue.number}`
        await commentOnIssue(client, repo, issue.number, renderResolvedComment(result.dir, ctx))
        await updateIssue(client, repo, issue.number, {
          state: 'closed',
          stateReason: 'completed',
          body: renderResolvedBody(issue.body, result.dir, ctx),
        })
        logger.info(`${result.dir}: drift gone, closed issue #${issue.number}`)
        outcomes.push({ dir: result.dir, action: 'closed', ...base })
        continue
      }
      // drifted
      if (!issue) {
        const state = newState(result, checkedAt)
        const created = await createIssue(client, repo, {
          title: issueTitle(options.environment, result.dir),
          body: renderIssueBody(result, state, ctx),
          labels: options.labels,
        })
        logger.info(`${result.dir}: drift found, opened issue #${created.number}`)
        outcomes.push({ dir: result.dir, action: 'opened', number: created.number, url: created.htmlUrl })
        continue
      }
      if (issue.state === 'closed') {
        what = `Reopening drift issue #${issue.number}`
        const state = newState(result, checkedAt)
        // One request: the reopen event in the timeline notifies subscribers and the body carries the new
        // `since`; no extra comment (keeps a run over many stacks within the request budget).
        await updateIssue(client, repo, issue.number, {
          state: 'open',
          stateReason: 'reopened',
          body: renderIssueBody(result, state, ctx),
        })
        logger.info(`${result.dir}: drift returned, reopened issue #${issue.number}`)
        outcomes.push({ dir: result.dir, action: 'reopened', ...base })
        continue
      }
      const previous = parseState(issue.body)
      const state = newState(result, previous?.since ?? issue.createdAt.replace(/\.\d{3}Z$/, 'Z'))
      await updateIssue(client, repo, issue.number, { body: renderIssueBody(result, state, ctx) })
      if (previous?.set !== state.set) {
        await commentOnIssue(client, repo, issue.number, renderChangedComment(previous, result, ctx))
        logger.info(`${result.dir}: drifted set changed, updated and commented on issue #${issue.number}`)
        outcomes.push({ dir: result.dir, action: 'commented', ...base })
      } else {
        outcomes.push({ dir: result.dir, action: 'updated', ...base })
      }
    } catch (error) {
      const message = describe(error, what)
      logger.warning(`${result.dir}: drift issue not updated: ${message}`)
      outcomes.push({ dir: result.dir, action: 'failed', error: message, ...base })
    }
  }
  return outcomes
}
