import type { Logger } from '@tfpipe/kit/logger.js'
import type { Verification } from './deploy-tags.js'
import type { Client, RepoRef } from './reviewed-plan.js'

/**
 * GitHub Deployments for tag-deploy (create + status) and safety-gate (was this commit deployed
 * successfully to an environment?). We mark our deployments with payload.tfpipe.runUrl so a re-run of
 * the same workflow run finds and reuses its deployment instead of creating a second one.
 */
export interface DeploymentRequest {
  sha: string
  environment: string
  state: 'success' | 'failure'
  runUrl: string
  /** The stack deployed: one run deploying several directories records one Deployment each. */
  workingDirectory?: string
  /** deploy or rollback, kept in payload.tfpipe for the delivery metrics. */
  operation?: 'deploy' | 'rollback'
  /** The verification after the apply, kept in payload.tfpipe (none: not recorded). */
  verification?: Verification
  description: string
  environmentUrl?: string
  /** Set when GitHub creates nothing itself for this job; default true for production-like names. */
  productionEnvironment?: boolean
}

export interface DeploymentResult {
  id: number
  created: boolean
}

interface RawDeployment {
  id: number
  sha: string
  environment: string
  payload: unknown
  created_at: string
}

function ownMarker(payload: unknown): { runUrl?: string; workingDirectory?: string; operation?: string } {
  const p = typeof payload === 'string' ? safeParse(payload) : payload
  const t = (p as { tfpipe?: { runUrl?: unknown; workingDirectory?: unknown; operation?: unknown } } | null)?.tfpipe
  return {
    ...(typeof t?.runUrl === 'string' ? { runUrl: t.runUrl } : {}),
    ...(typeof t?.workingDirectory === 'string' ? { workingDirectory: t.workingDirectory } : {}),
    ...(typeof t?.operation === 'string' ? { operation: t.operation } : {}),
  }
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

export async function recordDeployment(
  client: Client,
  repo: RepoRef,
  request: DeploymentRequest,
  logger?: Logger,
): Promise<DeploymentResult> {
  let id: number | undefined
  let created = false
  if (request.runUrl) {
    const existing = (
      await client.rest.repos.listDeployments({
        ...repo,
        sha: request.sha,
        environment: request.environment,
        per_page: 100,
      })
    ).data as RawDeployment[]
    id = existing.find((d) => {
      const marker = ownMarker(d.payload)
      // An automatic rollback in the deploy's own run to the same commit is a Deployment of its own.
      return (
        marker.runUrl === request.runUrl &&
        (marker.workingDirectory ?? '') === (request.workingDirectory ?? '') &&
        (marker.operation ?? 'deploy') === (request.operation ?? 'deploy')
      )
    })?.id
    if (id !== undefined) logger?.info(`GitHub Deployment ${id} already records this run; adding the status to it.`)
  }
  if (id === undefined) {
    const response = await client.rest.repos.createDeployment({
      ...repo,
      ref: request.sha,
      environment: request.environment,
      description: request.description.slice(0, 140),
      auto_merge: false,
      required_contexts: [],
      payload: {
        tfpipe: {
          runUrl: request.runUrl,
          ...(request.workingDirectory ? { workingDirectory: request.workingDirectory } : {}),
          ...(request.operation ? { operation: request.operation } : {}),
          ...(request.verification && request.verification !== 'none' ? { verification: request.verification } : {}),
        },
      },
      ...(request.productionEnvironment !== undefined ? { production_environment: request.productionEnvironment } : {}),
    })
    if (response.status !== 201 || !('id' in response.data)) {
      throw new Error(
        `GitHub did not create the deployment: ${(response.data as { message?: string }).message ?? `HTTP ${response.status}`}`,
      )
    }
    id = response.data.id
    created = true
  }
  await client.rest.repos.createDeploymentStatus({
    ...repo,
    deployment_id: id,
    state: request.state,
    description: request.description.slice(0, 140),
    ...(request.runUrl ? { log_url: request.runUrl } : {}),
    ...(request.environmentUrl ? { environment_url: request.environmentUrl } : {}),
  })
  return { id, created }
}

/** A Deployment status that ends a deploy; `inactive` (set when a later deploy succeeds) and `in_progress` do not. */
const FINAL_STATES = new Set(['success', 'failure', 'error'])

/**
 * The newest deployment of `sha` to `environment` whose final status is `success`: tag-deploy sets it only
 * after the verification passed (or was skipped where the policy allows), so a deploy whose checks failed
 * is no evidence. A later deploy turns a success `inactive`, which still proves it was deployed; a failure
 * after a success (a later verification) withdraws it. Returns a short description, or undefined.
 */
export async function successfulDeploymentOf(
  client: Client,
  repo: RepoRef,
  environment: string,
  sha: string,
): Promise<string | undefined> {
  const deployments = (await client.paginate(client.rest.repos.listDeployments, {
    ...repo,
    sha,
    environment,
    per_page: 100,
  })) as RawDeployment[]
  for (const d of deployments.slice(0, 20)) {
    const statuses = (await client.paginate(client.rest.repos.listDeploymentStatuses, {
      ...repo,
      deployment_id: d.id,
      per_page: 100,
    })) as {
      state: string
      created_at: string
      description?: string | null
    }[]
    // Newest first (GitHub's order): the first final status is the deploy's outcome.
    const final = statuses.find((s) => FINAL_STATES.has(s.state))
    if (final?.state === 'success')
      return `GitHub Deployment ${d.id} succeeded at ${final.created_at}${final.description ? ` (${final.description})` : ''}`
  }
  return undefined
}
