import type { Logger } from '@tfpipe/kit/logger.js'
import type { DeliveryHistory, HistoryDeployment, HistoryTag } from '@tfpipe/metrics/history.js'
import type { GitHubClient } from './client.js'
import { graphql } from './graphql.js'
import { DEFAULT_TAG_FORMAT, finalStatus, parseDeployTagMessage, tagPrefix } from './deploy-tags.js'
import type { RepoRef } from './reviewed-plan.js'

/**
 * Reads the delivery history of a window (Deployments with their statuses and commit dates, deploy
 * tags with their metadata) through GraphQL, in pages only.
 *
 * Why GraphQL: over REST every Deployment's statuses and every tag's message is one more request
 * (GET deployments/{id}/statuses, GET git/tags/{sha}) and every commit date another one, so a month
 * of a busy repository would cost hundreds of requests of GITHUB_TOKEN's 1,000 an hour, and ETags do
 * not help a scheduled run that starts with an empty cache. One GraphQL page brings 100 Deployments
 * with their statuses and commits, or 100 tags with their messages and commits. Cost:
 *   environments (only when none are given): ceil(environments / 100) requests
 *   Deployments of all the environments:      ceil(deployments in the window / 100), newest first,
 *                                             stopping at the first page that reaches past `since`
 *   deploy tags, per environment:             ceil(tags / 100), names descending, stopping likewise
 *                                             when the tag format puts {timestamp} right after {env}
 * Needs contents: read and deployments: read.
 */
export interface HistoryQuery {
  /** Environments to read; every environment of the repository when empty. */
  environments: string[]
  since: Date
  until: Date
  tagFormat?: string
  logger?: Logger
  /** Page size (1..100); tests use smaller pages. Default 100. */
  pageSize?: number
}

export interface HistoryResult {
  history: DeliveryHistory
  /** GraphQL requests made. */
  requests: number
}

interface PageInfo {
  hasNextPage: boolean
  endCursor: string | null
}

interface RawDeployment {
  databaseId: number | null
  createdAt: string
  environment: string | null
  commitOid: string
  task: string | null
  payload: string | null
  commit: { committedDate: string } | null
  statuses: { nodes: ({ state: string; createdAt: string; logUrl: string | null } | null)[] | null } | null
}

interface RawRef {
  name: string
  target:
    | {
        __typename: 'Tag'
        oid: string
        message: string | null
        target: { __typename: string; oid: string; committedDate?: string }
      }
    | { __typename: string; oid: string }
    | null
}

const ENVIRONMENTS = `query($owner: String!, $name: String!, $first: Int!, $after: String) {
  repository(owner: $owner, name: $name) {
    environments(first: $first, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes { name }
    }
  }
}`

const DEPLOYMENTS = `query($owner: String!, $name: String!, $environments: [String!], $first: Int!, $after: String) {
  repository(owner: $owner, name: $name) {
    deployments(environments: $environments, first: $first, after: $after, orderBy: {field: CREATED_AT, direction: DESC}) {
      pageInfo { hasNextPage endCursor }
      nodes {
        databaseId createdAt environment commitOid task payload
        commit { committedDate }
        statuses(first: 20) { nodes { state createdAt logUrl } }
      }
    }
  }
}`

const TAGS = `query($owner: String!, $name: String!, $query: String, $first: Int!, $after: String) {
  repository(owner: $owner, name: $name) {
    refs(refPrefix: "refs/tags/", query: $query, first: $first, after: $after, orderBy: {field: ALPHABETICAL, direction: DESC}) {
      pageInfo { hasNextPage endCursor }
      nodes {
        name
        target {
          __typename oid
          ... on Tag { message target { __typename oid ... on Commit { committedDate } } }
        }
      }
    }
  }
}`

interface Repository<K extends string, N> {
  repository: Record<K, { pageInfo: PageInfo; nodes: (N | null)[] | null }> | null
}

function parsePayload(text: string | null): unknown {
  if (!text) return null
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}

/** `deploy-prod-20261120-101500` → its instant, when the format puts {timestamp} right after the prefix. */
function nameTime(name: string, prefix: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})/.exec(name.slice(prefix.length))
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : undefined
}

export async function readDeliveryHistory(
  client: GitHubClient,
  repo: RepoRef,
  query: HistoryQuery,
): Promise<HistoryResult> {
  const first = Math.min(100, Math.max(1, query.pageSize ?? 100))
  const format = query.tagFormat ?? DEFAULT_TAG_FORMAT
  const since = query.since.getTime()
  let requests = 0
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- K and N name the reply's shape per query
  const page = async <K extends string, N>(
    text: string,
    field: K,
    variables: Record<string, unknown>,
  ): Promise<{ pageInfo: PageInfo; nodes: N[] }> => {
    requests++
    const data = await graphql<Repository<K, N> | null>(client, text, {
      owner: repo.owner,
      name: repo.repo,
      first,
      ...variables,
    })
    const connection = data?.repository?.[field]
    if (!connection)
      throw new Error(
        `GitHub returned no repository ${repo.owner}/${repo.repo} (does the token have contents: read on it?)`,
      )
    return { pageInfo: connection.pageInfo, nodes: (connection.nodes ?? []).filter((n): n is N => n !== null) }
  }

  let environments = [...new Set(query.environments)]
  if (environments.length === 0) {
    let after: string | null = null
    do {
      const p: { pageInfo: PageInfo; nodes: { name: string }[] } = await page(ENVIRONMENTS, 'environments', { after })
      environments.push(...p.nodes.map((n) => n.name))
      after = p.pageInfo.hasNextPage ? p.pageInfo.endCursor : null
    } while (after)
    environments = [...new Set(environments)]
    query.logger?.info(`Environments of ${repo.owner}/${repo.repo}: ${environments.join(', ') || 'none'}.`)
  }

  const deployments: HistoryDeployment[] = []
  if (environments.length > 0) {
    let after: string | null = null
    for (;;) {
      const p: { pageInfo: PageInfo; nodes: RawDeployment[] } = await page(DEPLOYMENTS, 'deployments', {
        environments,
        after,
      })
      for (const d of p.nodes) {
        if (d.databaseId === null || d.environment === null) continue
        deployments.push({
          id: d.databaseId,
          environment: d.environment,
          sha: d.commitOid,
          createdAt: d.createdAt,
          task: d.task ?? 'deploy',
          payload: parsePayload(d.payload),
          statuses: (d.statuses?.nodes ?? [])
            .filter((s) => s !== null)
            .map((s) => ({ state: s.state.toLowerCase(), createdAt: s.createdAt, logUrl: s.logUrl })),
          commitDate: d.commit?.committedDate ?? null,
        })
      }
      const oldest = p.nodes[p.nodes.length - 1]
      if (!p.pageInfo.hasNextPage || !p.pageInfo.endCursor || (oldest && Date.parse(oldest.createdAt) < since)) break
      after = p.pageInfo.endCursor
    }
  }

  const tags: HistoryTag[] = []
  const timestampFirst = (env: string): boolean =>
    format
      .replace(/\{env\}/g, env)
      .slice(tagPrefix(format, env).length)
      .startsWith('{timestamp}')
  for (const environment of environments) {
    const prefix = tagPrefix(format, environment)
    let after: string | null = null
    for (;;) {
      const p: { pageInfo: PageInfo; nodes: RawRef[] } = await page(TAGS, 'refs', { query: prefix, after })
      let reachedPast = false
      for (const ref of p.nodes) {
        if (!ref.name.startsWith(prefix)) continue
        const t = nameTime(ref.name, prefix)
        if (timestampFirst(environment) && t !== undefined && t < since) reachedPast = true
        const target = ref.target
        if (target?.__typename !== 'Tag') continue
        const tag = target as Extract<RawRef['target'], { __typename: 'Tag' }>
        const m = parseDeployTagMessage(tag.message ?? '')
        if (m?.environment !== environment) continue
        tags.push({
          name: ref.name,
          environment,
          sha: m.sha,
          // A deploy whose verification failed is a failed deploy (tags written since record status: failure too).
          status: finalStatus(m.status === 'failure' ? 'failure' : 'success', m.verification?.result ?? 'none'),
          // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- tags of older versions have no runUrl
          runUrl: m.runUrl ?? '',
          workingDirectory: m.workingDirectory || '.',
          startedAt: m.startedAt,
          finishedAt: m.finishedAt,
          ...(m.operation === 'rollback' || m.operation === 'deploy' ? { operation: m.operation } : {}),
          commitDate: tag.target.oid === m.sha ? (tag.target.committedDate ?? null) : null,
        })
      }
      if (reachedPast || !p.pageInfo.hasNextPage || !p.pageInfo.endCursor) break
      after = p.pageInfo.endCursor
    }
  }

  // A tag records the commit it points at; when that is not the one in its metadata, take the date GitHub gave a Deployment of it.
  const commitDates = new Map(deployments.filter((d) => d.commitDate).map((d) => [d.sha, d.commitDate]))
  for (const t of tags) t.commitDate ??= commitDates.get(t.sha) ?? null

  return {
    history: {
      repository: `${repo.owner}/${repo.repo}`,
      environments,
      since: query.since.toISOString(),
      until: query.until.toISOString(),
      deployments,
      tags,
    },
    requests,
  }
}
