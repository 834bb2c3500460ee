/**
 * The read side of GitHub's GraphQL API for the local test server, executed by graphql-js against
 * GitHub's own published schema (@octokit/graphql-schema): a query that GitHub would reject (unknown
 * field, wrong argument, missing fragment type) is rejected here with GitHub's answer shape
 * (HTTP 200, `errors`). Implemented: `repository(owner, name)` with `environments`, `deployments`
 * (environments filter, orderBy CREATED_AT, statuses, latestStatus, commit) and `refs` (refPrefix,
 * query, orderBy ALPHABETICAL / TAG_COMMIT_DATE, annotated tag targets with message and commit).
 * Connections page with opaque cursors (`first`/`after`), at most 100 per page as on GitHub.
 * Fields the repository state does not hold resolve to null (or fail when non-null), so a test
 * notices when it relies on one.
 */
import { buildClientSchema, graphql, type GraphQLSchema } from 'graphql'
import type { StoredDeployment, StoredRef, StoredTagObject } from './github-server.js'

export interface StoredCommit {
  sha: string
  committedDate: string
  authoredDate: string
  message: string
}

export interface GraphqlState {
  deployments: () => StoredDeployment[]
  refs: () => StoredRef[]
  tagObject: (sha: string) => StoredTagObject | undefined
  commit: (sha: string) => StoredCommit | undefined
  environmentNames: () => string[]
}

let schemaPromise: Promise<GraphQLSchema> | undefined

function schema(): Promise<GraphQLSchema> {
  schemaPromise ??= import('@octokit/graphql-schema').then(({ schema: s }) => buildClientSchema(s.json as never))
  return schemaPromise
}

interface ConnectionArgs {
  first?: number | null
  after?: string | null
}

const cursor = (i: number): string => Buffer.from(`cursor:v2:${i}`).toString('base64')
const fromCursor = (c: string | null | undefined): number => {
  if (!c) return -1
  const m = /^cursor:v2:(\d+)$/.exec(Buffer.from(c, 'base64').toString('utf8'))
  if (!m) throw new Error(`\`${c}\` does not appear to be a valid cursor.`)
  return Number(m[1])
}

function connection<T>(items: T[], args: ConnectionArgs) {
  if (args.first === undefined || args.first === null)
    throw new Error('You must provide a `first` or `last` value to properly paginate the connection.')
  if (args.first < 0 || args.first > 100)
    throw new Error(`Requesting ${args.first} records on the connection exceeds the \`first\` limit of 100 records.`)
  const start = fromCursor(args.after) + 1
  const slice = items.slice(start, start + args.first)
  return {
    totalCount: items.length,
    nodes: slice,
    edges: slice.map((node, i) => ({ node, cursor: cursor(start + i) })),
    pageInfo: {
      hasNextPage: start + slice.length < items.length,
      hasPreviousPage: start > 0,
      startCursor: slice.length ? cursor(start) : null,
      endCursor: slice.length ? cursor(start + slice.length - 1) : null,
    },
  }
}

const DEPLOYMENT_STATE: Record<string, string> = {
  success: 'ACTIVE',
  inactive: 'INACTIVE',
  failure: 'FAILURE',
  error: 'ERROR',
  in_progress: 'IN_PROGRESS',
  queued: 'QUEUED',
  pending: 'PENDING',
  waiting: 'WAITING',
}

export async function executeGraphql(
  state: GraphqlState,
  body: Record<string, unknown>,
  repoUrl: (owner: string, name: string) => string,
): Promise<unknown> {
  const query = typeof body.query === 'string' ? body.query : ''
  const variables = (body.variables ?? {}) as Record<string, unknown>

  const commitNode = (sha: string) => {
    const c = state.commit(sha)
    if (!c) return null
    return {
      __typename: 'Commit',
      oid: c.sha,
      abbreviatedOid: c.sha.slice(0, 7),
      committedDate: c.committedDate,
      authoredDate: c.authoredDate,
      message: c.message,
    }
  }
  const actor = (login: string, type: string) => ({ __typename: type === 'Bot' ? 'Bot' : 'User', login })
  const statusNode = (d: StoredDeployment, s: StoredDeployment['statuses'][number]) => ({
    __typename: 'DeploymentStatus',
    id: s.node_id,
    state: s.state.toUpperCase(),
    createdAt: s.created_at,
    updatedAt: s.updated_at,
    description: s.description || null,
    environment: s.environment,
    environmentUrl: s.environment_url || null,
    logUrl: s.log_url || null,
    creator: actor(s.creator.login, s.creator.type),
    deployment: () => deploymentNode(d),
  })
  const deploymentNode = (d: StoredDeployment): Record<string, unknown> => {
    const latest = d.statuses[d.statuses.length - 1]
    return {
      __typename: 'Deployment',
      id: d.node_id,
      databaseId: d.id,
      createdAt: d.created_at,
      updatedAt: d.updated_at,
      environment: d.environment,
      latestEnvironment: d.environment,
      originalEnvironment: d.original_environment,
      commitOid: d.sha,
      task: d.task,
      description: d.description,
      // GraphQL gives the payload as a JSON string.
      payload:
        d.payload === null || d.payload === undefined
          ? null
          : typeof d.payload === 'string'
            ? d.payload
            : JSON.stringify(d.payload),
      state: latest ? DEPLOYMENT_STATE[latest.state] : 'PENDING',
      creator: actor(d.creator.login, d.creator.type),
      commit: () => commitNode(d.sha),
      latestStatus: () => (latest ? statusNode(d, latest) : null),
      // Newest first, as REST lists them.
      statuses: (args: ConnectionArgs) =>
        connection(
          [...d.statuses].reverse().map((s) => statusNode(d, s)),
          args,
        ),
    }
  }
  const objectNode = (sha: string, type: string): Record<string, unknown> | null => {
    if (type === 'tag') {
      const t = state.tagObject(sha)
      if (!t) return null
      return {
        __typename: 'Tag',
        id: t.node_id,
        oid: t.sha,
        abbreviatedOid: t.sha.slice(0, 7),
        name: t.tag,
        message: t.message,
        tagger: { name: t.tagger.name, email: t.tagger.email, date: t.tagger.date },
        target: () => objectNode(t.object.sha, t.object.type),
      }
    }
    return commitNode(sha)
  }
  const commitDateOf = (ref: StoredRef): string => {
    const target = ref.type === 'tag' ? (state.tagObject(ref.sha)?.object.sha ?? ref.sha) : ref.sha
    return state.commit(target)?.committedDate ?? ''
  }

  const repository = (args: { owner: string; name: string }) => ({
    __typename: 'Repository',
    id: 'R_kgDOABCDEF',
    name: args.name,
    nameWithOwner: `${args.owner}/${args.name}`,
    url: repoUrl(args.owner, args.name),
    environments: (a: ConnectionArgs & { names?: string[] }) =>
      connection(
        state
          .environmentNames()
          .filter((n) => !a.names?.length || a.names.includes(n))
          .sort()
          .map((name) => ({ __typename: 'Environment', name, id: `EN_${Buffer.from(name).toString('base64url')}` })),
        a,
      ),
    deployments: (
      a: ConnectionArgs & { environments?: string[] | null; orderBy?: { field: string; direction: string } },
    ) => {
      const envs = a.environments ?? []
      const list = state
        .deployments()
        .filter((d) => envs.length === 0 || envs.includes(d.environment))
        .sort((x, y) => (x.created_at === y.created_at ? x.id - y.id : x.created_at < y.created_at ? -1 : 1))
      if ((a.orderBy?.direction ?? 'ASC') === 'DESC') list.reverse()
      return connection(list.map(deploymentNode), a)
    },
    refs: (
      a: ConnectionArgs & {
        refPrefix: string
        query?: string | null
        orderBy?: { field: string; direction: string } | null
        direction?: string | null
      },
    ) => {
      const list = state
        .refs()
        .filter(
          (r) =>
            r.ref.startsWith(a.refPrefix) &&
            r.ref.length > a.refPrefix.length &&
            !r.ref.slice(a.refPrefix.length).includes('/'),
        )
        .map((r) => ({ ref: r, name: r.ref.slice(a.refPrefix.length) }))
        .filter((r) => !a.query || r.name.includes(a.query))
      const field = a.orderBy?.field ?? 'ALPHABETICAL'
      list.sort((x, y) => {
        const kx = field === 'TAG_COMMIT_DATE' ? commitDateOf(x.ref) : x.name
        const ky = field === 'TAG_COMMIT_DATE' ? commitDateOf(y.ref) : y.name
        return kx === ky ? (x.name < y.name ? -1 : 1) : kx < ky ? -1 : 1
      })
      if ((a.orderBy?.direction ?? a.direction ?? 'ASC') === 'DESC') list.reverse()
      return connection(
        list.map((r) => ({
          __typename: 'Ref',
          id: `REF_${Buffer.from(r.ref.ref).toString('base64url')}`,
          name: r.name,
          prefix: a.refPrefix,
          target: () => objectNode(r.ref.sha, r.ref.type),
        })),
        a,
      )
    },
  })

  const result = await graphql({
    schema: await schema(),
    source: query,
    variableValues: variables,
    rootValue: { repository },
  })
  return result.errors
    ? { ...(result.data !== undefined ? { data: result.data } : {}), errors: result.errors.map((e) => e.toJSON()) }
    : { data: result.data }
}
