import type { EnvironmentProtection } from '@tfpipe/github/environments.js'
import type { Logger } from '@tfpipe/kit/logger.js'
import { proxyFetch } from '@tfpipe/kit/proxy.js'
import type { PlanModel } from '@tfpipe/terraform/model.js'
import type { SarifLog } from './sarif.js'
import type { InfracostDiff } from './cost.js'

/** What GitHub tells the gate about an environment's protection rules. */
export type EnvironmentProtectionLookup = EnvironmentProtection

export interface PullRequestRef {
  number: number
  url: string
  labels: string[]
  merged: boolean
}

export interface PlannedChange {
  action: string
  address: string
}

export type ReviewedPlanLookup =
  | { found: true; fingerprint: string; changes?: PlannedChange[]; changesTruncated?: boolean; commentUrl: string }
  | { found: false; reason: string }

/** The GitHub reads the gate needs; implemented over Octokit in packages/github, faked nowhere (tests use the local server). */
export interface GateGitHub {
  /** Proves the token, repository and API URL work; throws a one-line ConfigurationError otherwise. */
  checkAccess?(): Promise<void>
  environmentProtection(environment: string): Promise<EnvironmentProtectionLookup>
  /** How the commit was deployed successfully to the environment, or undefined when it was not. */
  successfulDeployment(environment: string, sha: string): Promise<string | undefined>
  pullRequestOfCommit(sha: string): Promise<PullRequestRef | undefined>
  reviewedPlan(pr: PullRequestRef, environment: string, workingDirectory: string): Promise<ReviewedPlanLookup>
}

export interface HttpResponse {
  status: number
}

/** GET with a timeout and extra headers (e.g. the ticket API's auth header); rejects on network errors and timeouts. */
export type HttpGet = (
  url: string,
  options: { timeoutMs: number; headers?: Record<string, string> },
) => Promise<HttpResponse>

export const fetchGet: HttpGet = async (url, { timeoutMs, headers }) => {
  const response = await proxyFetch(url, {
    method: 'GET',
    signal: AbortSignal.timeout(timeoutMs),
    headers: { accept: 'application/json', ...headers },
  })
  await response.arrayBuffer().catch(() => undefined)
  return { status: response.status }
}

export interface PlanSource {
  model: PlanModel
  /** When the plan was made: the plan JSON `timestamp`, else the plan file's mtime. */
  createdAt?: Date
  createdFrom?: string
}

/**
 * How the caller names the options a user sets for the gate, for messages that tell the user what to
 * set: safety-gate's inputs (the default) or tfpipe gate's flags. One rule, one message, the caller's names.
 */
export interface GateOptionNames {
  planJson: string
  planFile: string
  changeTicket: string
  forceRecreate: string
  overrideReason: string
  /** Where a relative plan-file path is resolved. */
  workingDirectory: string
  /** Picks terraform or tofu. */
  binary: string
}

/** safety-gate's input names (actions/safety-gate/action.yml; a unit test keeps them declared there). */
export const SAFETY_GATE_INPUTS: GateOptionNames = {
  planJson: 'plan-json',
  planFile: 'plan-file',
  changeTicket: 'change-ticket',
  forceRecreate: 'force-recreate',
  overrideReason: 'override-reason',
  workingDirectory: 'working-directory',
  binary: 'binary',
}

export interface GateInput {
  /** Names used in messages (default SAFETY_GATE_INPUTS). */
  names?: GateOptionNames
  environment: string
  /** A rollback restores a deploy the environment already had: no promotion or reviewed-plan check, and its own confirmation. */
  operation?: 'deploy' | 'rollback'
  /** The GitHub event that started the run (policy `confirmation-events`). */
  event?: string
  /** Commit about to be deployed. */
  sha: string
  workingDirectory: string
  plan?: PlanSource
  confirmation: string
  changeTicket: string
  forceRecreate: boolean
  overrideReason: string
  /** The dispatcher asked to skip the verification after the apply (policy verification.skip-allowed). */
  skipVerify?: boolean
  infracost?: { path: string; diff: InfracostDiff }
  sarif: { path: string; log: SarifLog }[]
  github?: GateGitHub
  http?: HttpGet
  /** Sent with the ticket verify-url request (a secret: never logged or shown). */
  ticketAuthHeader?: { name: string; value: string }
  now?: () => Date
  logger?: Logger
}
