/**
 * Uploads SARIF files to GitHub code scanning through the REST API
 * (`POST /repos/{owner}/{repo}/code-scanning/sarifs`: gzip + base64 body, commit_sha, ref).
 *
 * Written here rather than using github/codeql-action/upload-sarif: that action is not pinned in this
 * project (no release SHA we can vouch for), and an action step cannot feed the same files to our comment
 * and gate in the same process. One upload per file, each with its own category (the run's
 * `automationDetails.id`): GitHub refuses several runs of one tool under one category in a single upload,
 * and a later upload of the same category for the same commit and ref replaces the earlier analysis.
 */
import { gzipSync } from 'node:zlib'
import type { Logger } from '@tfpipe/kit/logger.js'

/** GitHub's limit for the gzip-compressed SARIF of one upload. */
export const SARIF_UPLOAD_LIMIT_BYTES = 10 * 1024 * 1024

export interface CodeScanningClient {
  request(route: string, parameters: Record<string, unknown>): Promise<{ data: unknown }>
}

export interface SarifUploadTarget {
  owner: string
  repo: string
  /** The commit analysed (GITHUB_SHA: on pull_request, the merge commit of refs/pull/N/merge). */
  commitSha: string
  /** refs/heads/<branch>, refs/tags/<tag> or refs/pull/<n>/merge|head (GITHUB_REF). */
  ref: string
}

export interface SarifUploadResult {
  id: string
  url: string
  category: string
  tool: string
  results: number
}

/** `tfpipe/<directory>/<tool>/`: code scanning keeps one analysis per category, commit and ref. */
export function sarifCategory(directory: string, tool: string): string {
  const dir = directory === '.' || directory === '' ? 'root' : directory.replace(/[^A-Za-z0-9._/-]/g, '-')
  return `tfpipe/${dir}/${tool.toLowerCase().replace(/[^a-z0-9._-]/g, '-')}/`
}

interface SarifRun {
  tool?: { driver?: { name?: string } }
  results?: { locations?: { physicalLocation?: { artifactLocation?: { uri?: string } } }[] }[]
  automationDetails?: { id?: string }
}

/**
 * Gives every run without one the category (as codeql-action's `category` input does), maps each result's
 * file to its repository path (a scanner run in a subdirectory names files relative to it, and code
 * scanning reads them from the repository root), and returns the body GitHub wants: gzip, then base64.
 */
export function encodeSarif(
  text: string,
  categoryFor: (tool: string) => string,
  repoPath: (uri: string) => string = (uri) => uri,
): { sarif: string; tool: string; category: string; results: number; compressedBytes: number } {
  const log = JSON.parse(text) as { runs?: SarifRun[] }
  const runs = Array.isArray(log.runs) ? log.runs : []
  const tool = runs.map((r) => r.tool?.driver?.name).find((n) => typeof n === 'string' && n !== '') ?? 'unknown'
  const category = categoryFor(tool)
  for (const run of runs) {
    if (!run.automationDetails?.id) run.automationDetails = { ...(run.automationDetails ?? {}), id: category }
    for (const result of run.results ?? []) {
      for (const location of result.locations ?? []) {
        const artifact = location.physicalLocation?.artifactLocation
        if (artifact && typeof artifact.uri === 'string' && artifact.uri !== '') artifact.uri = repoPath(artifact.uri)
      }
    }
  }
  const gz = gzipSync(Buffer.from(JSON.stringify(log)))
  const results = runs.reduce((n, r) => n + (Array.isArray(r.results) ? r.results.length : 0), 0)
  return { sarif: gz.toString('base64'), tool, category, results, compressedBytes: gz.length }
}

/** Uploads one SARIF file (already read; `label` names it in messages). Throws the Octokit error as is. */
export async function uploadSarif(
  client: CodeScanningClient,
  target: SarifUploadTarget,
  file: { label: string; text: string; directory: string; repoPath?: (uri: string) => string },
  logger: Logger,
): Promise<SarifUploadResult> {
  const encoded = encodeSarif(file.text, (tool) => sarifCategory(file.directory, tool), file.repoPath)
  const category = encoded.category
  if (encoded.compressedBytes > SARIF_UPLOAD_LIMIT_BYTES) {
    throw new Error(
      `${file.label} is ${(encoded.compressedBytes / 1024 / 1024).toFixed(1)} MiB gzip-compressed, over code scanning's 10 MiB limit; scan fewer paths or raise the scanner's severity threshold`,
    )
  }
  const { data } = await client.request('POST /repos/{owner}/{repo}/code-scanning/sarifs', {
    owner: target.owner,
    repo: target.repo,
    commit_sha: target.commitSha,
    ref: target.ref,
    sarif: encoded.sarif,
    tool_name: encoded.tool,
  })
  const d = data as { id?: string; url?: string }
  logger.info(
    `Code scanning: ${file.label} (${encoded.tool}, ${encoded.results} result${encoded.results === 1 ? '' : 's'}) uploaded as ${category} for ${target.ref}; processing ${d.id ?? ''}.`,
  )
  return { id: d.id ?? '', url: d.url ?? '', category, tool: encoded.tool, results: encoded.results }
}

/** A ref code scanning accepts, or a one-line reason it does not. */
export function codeScanningRef(ref: string, sha: string): string | undefined {
  if (!/^[0-9a-f]{40}$/i.test(sha)) return `GITHUB_SHA '${sha}' is not a full commit SHA`
  if (!/^refs\/(heads|tags|pull)\/.+/.test(ref))
    return `GITHUB_REF '${ref}' is not refs/heads/…, refs/tags/… or refs/pull/…`
  return undefined
}
