import type { Logger } from '@tfpipe/kit/logger.js'

/** What plan-and-comment needs of @actions/artifact v6 (`DefaultArtifactClient`); tests pass their own. */
export interface ArtifactUploader {
  uploadArtifact(
    name: string,
    files: string[],
    rootDirectory: string,
    options?: { retentionDays?: number },
  ): Promise<{ id?: number; size?: number; digest?: string }>
}

export interface UploadedArtifact {
  id: number
  name: string
  url: string
  size?: number
}

export function artifactUrl(serverUrl: string, owner: string, repo: string, runId: string, id: number): string {
  return `${serverUrl.replace(/\/$/, '')}/${owner}/${repo}/actions/runs/${runId}/artifacts/${id}`
}

/**
 * A valid, unique-per-job artifact name: `tfplan-<env>-<dir>`; characters GitHub refuses
 * (`" : < > | * ? \ /` and control characters) become `_`.
 */
export function planArtifactName(environment: string, directory: string): string {
  const dir = directory.replace(/^\.\/?/, '').replace(/\/+$/, '') || 'root'
  const raw = ['tfplan', environment, dir].filter((p) => p !== '').join('-')
  // eslint-disable-next-line no-control-regex
  return raw.replace(/[":<>|*?\\/\x00-\x1f]/g, '_').slice(0, 200)
}

export interface UploadOptions {
  uploader: ArtifactUploader
  name: string
  files: string[]
  rootDirectory: string
  retentionDays: number
  /** Builds the artifact link from its id. */
  urlFor: (id: number) => string
  logger: Logger
}

/**
 * Uploads the plan files. Unavailable artifact storage (GHES, no ACTIONS_RUNTIME_TOKEN, a service
 * error) is a warning and returns undefined: the comment and summary still come.
 */
export async function uploadPlanArtifact(options: UploadOptions): Promise<UploadedArtifact | undefined> {
  try {
    const result = await options.uploader.uploadArtifact(options.name, options.files, options.rootDirectory, {
      retentionDays: options.retentionDays,
    })
    if (typeof result.id !== 'number') {
      options.logger.warning(`The artifact service did not return an id for '${options.name}'; no artifact link.`)
      return undefined
    }
    const uploaded: UploadedArtifact = { id: result.id, name: options.name, url: options.urlFor(result.id) }
    if (result.size !== undefined) uploaded.size = result.size
    return uploaded
  } catch (error) {
    options.logger.warning(
      `Could not upload the plan artifact '${options.name}' (${(error as Error).message}); continuing without it.`,
    )
    return undefined
  }
}
