/** GraphQL through a client's own retry and throttling: the endpoint, errors, and the mutations we use. */
import type { GitHubClient } from './client.js'

const graphqlUrls = new WeakMap<object, string>()

export function registerGraphqlUrl(client: GitHubClient, url: string): void {
  graphqlUrls.set(client, url)
}

export function defaultGraphqlUrl(baseUrl: string): string {
  const base = baseUrl.replace(/\/+$/, '')
  if (base.endsWith('/api/v3')) return base.replace(/\/api\/v3$/, '/api/graphql')
  return `${base}/graphql`
}

export class GitHubGraphqlError extends Error {
  constructor(
    message: string,
    readonly errors: { message: string; type?: string }[],
  ) {
    super(message)
    this.name = 'GitHubGraphqlError'
  }
}

/** POSTs a GraphQL query to the client's GraphQL endpoint (through the same retry/throttling); throws GitHubGraphqlError on `errors`. */
export async function graphql<T>(
  client: GitHubClient,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  const url = graphqlUrls.get(client) ?? defaultGraphqlUrl(client.request.endpoint.DEFAULTS.baseUrl)
  const response = await client.request({ method: 'POST', url, query, variables })
  const data = response.data as { data?: T; errors?: { message: string; type?: string }[] }
  if (data.errors && data.errors.length > 0) {
    throw new GitHubGraphqlError(`GraphQL: ${data.errors.map((e) => e.message).join('; ')}`, data.errors)
  }
  return data.data as T
}

export type MinimizeClassifier = 'OUTDATED' | 'RESOLVED' | 'DUPLICATE' | 'OFF_TOPIC' | 'SPAM' | 'ABUSE'

/** Hides a comment (by its node_id) as GitHub's "Hide → Outdated" does. */
export async function minimizeComment(
  client: GitHubClient,
  subjectId: string,
  classifier: MinimizeClassifier = 'OUTDATED',
): Promise<{ isMinimized: boolean; minimizedReason: string | null }> {
  const result = await graphql<{
    minimizeComment: { minimizedComment: { isMinimized: boolean; minimizedReason: string | null } } | null
  } | null>(
    client,
    `
      mutation ($subjectId: ID!, $classifier: ReportedContentClassifiers!) {
        minimizeComment(input: { subjectId: $subjectId, classifier: $classifier }) {
          minimizedComment {
            isMinimized
            minimizedReason
          }
        }
      }
    `,
    { subjectId, classifier },
  )
  if (!result?.minimizeComment)
    throw new GitHubGraphqlError(`GraphQL: minimizeComment returned nothing for ${subjectId}`, [])
  return result.minimizeComment.minimizedComment
}
