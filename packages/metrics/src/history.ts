/**
 * The delivery history the metrics are computed from: what GitHub holds about the deploys of a time
 * window, already read (packages/github/src/delivery-history.ts reads it). Plain data, no client, so
 * every metric is a pure function of it.
 */

/** One status of a GitHub Deployment (state lower-case as in REST: success, failure, in_progress, …). */
export interface HistoryStatus {
  state: string
  createdAt: string
  logUrl: string | null
}

/** One GitHub Deployment: tag-deploy's (payload.tfpipe) or the one GitHub records for a job with `environment:`. */
export interface HistoryDeployment {
  id: number
  environment: string
  sha: string
  createdAt: string
  task: string
  /** Parsed payload (an object), or null. */
  payload: unknown
  /** Oldest first. */
  statuses: HistoryStatus[]
  /** Committer date of the deployed commit; null when GitHub does not know the commit. */
  commitDate: string | null
}

/** One deploy tag of tag-deploy with its metadata (CONTRIBUTING.md, "deploy tag message"). */
export interface HistoryTag {
  name: string
  environment: string
  sha: string
  status: 'success' | 'failure'
  runUrl: string
  workingDirectory: string
  startedAt: string
  finishedAt: string
  /** 'rollback' for terraform-rollback.yml's tags; undefined for tags written before tag-deploy recorded it. */
  operation?: 'deploy' | 'rollback'
  commitDate: string | null
}

export interface DeliveryHistory {
  repository: string
  environments: string[]
  /** The window: ISO 8601 instants. */
  since: string
  until: string
  deployments: HistoryDeployment[]
  tags: HistoryTag[]
}
