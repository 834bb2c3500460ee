// About 350 lines: the deploy-tag format, its parser, its writer and the tag queries change together.
import { ConfigurationError } from '@tfpipe/kit/errors.js'
import { optionLabel } from '@tfpipe/kit/inputs.js'
import type { Logger } from '@tfpipe/kit/logger.js'
import type { Client, RepoRef } from './reviewed-plan.js'

/**
 * Deploy tags: annotated tags `deploy-<env>-<YYYYMMDD-HHMMSS>` whose message carries machine-readable
 * metadata (format in CONTRIBUTING.md): a human first line, a blank line, then
 * `-----BEGIN TFPIPE METADATA-----`, one JSON object, `-----END TFPIPE METADATA-----`.
 */
export const METADATA_BEGIN = '-----BEGIN TFPIPE METADATA-----'
export const METADATA_END = '-----END TFPIPE METADATA-----'
export const DEFAULT_TAG_FORMAT = 'deploy-{env}-{timestamp}'

export interface DeployCounts {
  add: number
  change: number
  destroy: number
  replace?: number
  import?: number
  move?: number
  forget?: number
  [key: string]: number | undefined
}

export interface DeployStateRef {
  bucket: string
  key: string
  versionId: string
  serial: number
  lineage: string
}

/** The team's checks after the apply, as tag-deploy records them. */
export const VERIFICATIONS = ['none', 'passed', 'failed', 'skipped'] as const
export type Verification = (typeof VERIFICATIONS)[number]

/** A deploy is a success only when it applied and its verification did not fail: one rule for tags, Deployments and Slack. */
export function finalStatus(applied: 'success' | 'failure', verification: Verification): 'success' | 'failure' {
  return applied === 'success' && verification !== 'failed' ? 'success' : 'failure'
}

export interface DeployMetadata {
  schema: 1
  environment: string
  sha: string
  status: 'success' | 'failure'
  repository: string
  runUrl: string
  actor: string
  workingDirectory: string
  fingerprint: string | null
  counts: DeployCounts | null
  state: DeployStateRef | null
  startedAt: string
  finishedAt: string
  /** What was done: a deploy (terraform-apply.yml) or a rollback (terraform-rollback.yml). Absent in tags written before it was recorded. */
  operation?: 'deploy' | 'rollback'
  /** The verification after the apply (absent in tags written before it was recorded, and when none ran). status is failure when it failed. */
  verification?: { result: Exclude<Verification, 'none'> }
}

export interface DeployTag {
  name: string
  /** The annotated tag object's sha. */
  tagSha: string
  /** The commit the tag points at. */
  commitSha: string
  url: string
  message: string
  /** Undefined when the tag is not one of ours (no metadata block). */
  metadata?: DeployMetadata
}

function countsLine(c: DeployCounts | null): string {
  if (!c) return ''
  const parts = [`+${c.add}`, `~${c.change}`, `-${c.destroy}`]
  if (c.replace) parts.push(`±${c.replace}`)
  return ` (${parts.join(' ')})`
}

export function formatDeployTagMessage(m: DeployMetadata): string {
  const verb =
    m.status === 'success'
      ? 'Deployed'
      : m.verification?.result === 'failed'
        ? 'FAILED verification of'
        : 'FAILED deploy of'
  const checked =
    m.verification?.result === 'passed'
      ? ', verified'
      : m.verification?.result === 'skipped'
        ? ', verification skipped'
        : ''
  const human = `${verb} ${m.sha.slice(0, 12)} to ${m.environment}${countsLine(m.counts)}${checked} by ${m.actor || 'unknown'}${m.runUrl ? ` — ${m.runUrl}` : ''}`
  return `${human}\n\n${METADATA_BEGIN}\n${JSON.stringify(m, null, 2)}\n${METADATA_END}\n`
}

/** The metadata of a deploy tag message, or undefined when the message has no (valid) block. */
export function parseDeployTagMessage(message: string): DeployMetadata | undefined {
  const start = message.indexOf(METADATA_BEGIN)
  const end = message.indexOf(METADATA_END, start + 1)
  if (start === -1 || end === -1) return undefined
  try {
    const parsed: unknown = JSON.parse(message.slice(start + METADATA_BEGIN.length, end))
    const value = parsed as Partial<DeployMetadata>
    if (
      typeof parsed !== 'object' ||
      parsed === null ||
      typeof value.environment !== 'string' ||
      typeof value.sha !== 'string'
    )
      return undefined
    return value as DeployMetadata
  } catch {
    return undefined
  }
}

/** Environment names go into tag names: refuse anything git would reject or that needs quoting. */
export function assertRefSafeEnvironment(environment: string): void {
  const problems: string[] = []
  if (environment === '') problems.push('it is empty')
  if (/[^A-Za-z0-9._-]/.test(environment)) problems.push('only letters, digits, ".", "_" and "-" are allowed')
  if (environment.includes('..')) problems.push('".." is not allowed')
  if (/^[.-]/.test(environment)) problems.push('it must not start with "." or "-"')
  if (/(\.lock|\.)$/i.test(environment)) problems.push('it must not end with "." or ".lock"')
  if (problems.length > 0) {
    throw new ConfigurationError(
      `Environment '${environment}' cannot be part of a git tag name: ${problems.join('; ')}. Use a name such as prod or eu-west-1.`,
    )
  }
}

/** UTC YYYYMMDD-HHMMSS. */
export function tagTimestamp(date: Date): string {
  return date
    .toISOString()
    .replace(/\.\d+Z$/, '')
    .replace(/-/g, '')
    .replace(/:/g, '')
    .replace('T', '-')
}

export function renderTagName(
  format: string,
  values: { environment: string; date: Date; sha: string; runId: string },
): string {
  const name = format
    .replace(/\{env\}/g, values.environment)
    .replace(/\{timestamp\}/g, tagTimestamp(values.date))
    .replace(/\{sha\}/g, values.sha.slice(0, 12))
    .replace(/\{run\}/g, values.runId)
  const left = /\{[^}]*\}/.exec(name)
  if (left)
    throw new ConfigurationError(
      `tag-format has an unknown placeholder ${left[0]}; use {env}, {timestamp}, {sha} or {run}.`,
    )
  if (
    !/^[A-Za-z0-9._/-]+$/.test(name) ||
    name.includes('..') ||
    name.endsWith('.lock') ||
    name.endsWith('/') ||
    name.startsWith('-')
  ) {
    throw new ConfigurationError(`tag-format gives '${name}', which is not a valid tag name.`)
  }
  return name
}

/** Refuses a tag-format that cannot give a valid tag (unknown placeholder, characters git rejects) before anything reads or writes tags. */
export function validateTagFormat(format: string, input = 'tag-format'): void {
  if (!format.includes('{env}'))
    throw new ConfigurationError(
      `${optionLabel(input)} must contain {env} (tags of different environments must not mix); got '${format}'.`,
    )
  try {
    renderTagName(format, { environment: 'prod', date: new Date(0), sha: '0'.repeat(40), runId: '1' })
  } catch (error) {
    throw new ConfigurationError(`${optionLabel(input)}: ${(error as Error).message.replace(/^tag-format /, '')}`)
  }
}

/** The fixed start of every tag name of one environment: the format up to its first placeholder after {env}. */
export function tagPrefix(format: string, environment: string): string {
  const withEnv = format.replace(/\{env\}/g, environment)
  const cut = withEnv.indexOf('{')
  return cut === -1 ? withEnv : withEnv.slice(0, cut)
}

function tagUrl(serverUrl: string, repo: RepoRef, name: string): string {
  return `${serverUrl.replace(/\/$/, '')}/${repo.owner}/${repo.repo}/releases/tag/${encodeURIComponent(name)}`
}

export interface TagQueryOptions {
  serverUrl?: string
  format?: string
  /** How many refs (newest names first) to open at most; each costs one request. Default 50. */
  scan?: number
}

/** One deploy tag by name, metadata parsed; undefined when the ref does not exist. */
export async function getDeployTag(
  client: Client,
  repo: RepoRef,
  name: string,
  options: TagQueryOptions = {},
): Promise<DeployTag | undefined> {
  let ref: { object: { sha: string; type: string } }
  try {
    ref = (await client.rest.git.getRef({ ...repo, ref: `tags/${name}` })).data
  } catch (error) {
    if ((error as { status?: number }).status === 404) return undefined
    throw error
  }
  return openTag(client, repo, name, ref.object, options.serverUrl ?? 'https://github.com')
}

async function openTag(
  client: Client,
  repo: RepoRef,
  name: string,
  object: { sha: string; type: string },
  serverUrl: string,
): Promise<DeployTag> {
  if (object.type !== 'tag')
    return { name, tagSha: object.sha, commitSha: object.sha, url: tagUrl(serverUrl, repo, name), message: '' }
  const tag = (await client.rest.git.getTag({ ...repo, tag_sha: object.sha })).data
  const metadata = parseDeployTagMessage(tag.message)
  return {
    name,
    tagSha: tag.sha,
    commitSha: tag.object.sha,
    url: tagUrl(serverUrl, repo, name),
    message: tag.message,
    ...(metadata ? { metadata } : {}),
  }
}

const finished = (t: DeployTag): string => t.metadata?.finishedAt ?? ''

/**
 * Deploy tags of an environment with metadata, newest first (by finishedAt, then name). Reads the
 * matching refs (paginated), then opens the newest `scan` names; tags of another environment that
 * share the prefix (prod vs prod-eu) and tags without our metadata are dropped.
 */
export async function listDeployTags(
  client: Client,
  repo: RepoRef,
  environment: string,
  options: TagQueryOptions & { limit?: number; status?: 'success' | 'failure' } = {},
): Promise<DeployTag[]> {
  const prefix = tagPrefix(options.format ?? DEFAULT_TAG_FORMAT, environment)
  const refs = (await client.paginate(client.rest.git.listMatchingRefs, {
    ...repo,
    ref: `tags/${prefix}`,
    per_page: 100,
  })) as {
    ref: string
    object: { sha: string; type: string }
  }[]
  const names = refs
    .map((r) => ({ name: r.ref.replace(/^refs\/tags\//, ''), object: r.object }))
    .sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0))
    .slice(0, options.scan ?? 50)
  const tags: DeployTag[] = []
  for (const r of names) {
    // Names sort by time for formats that put {timestamp} first after {env}: stop once `limit` are found.
    if (options.limit !== undefined && tags.length >= options.limit) break
    const tag = await openTag(client, repo, r.name, r.object, options.serverUrl ?? 'https://github.com')
    if (tag.metadata?.environment !== environment) continue
    if (options.status && tag.metadata.status !== options.status) continue
    tags.push(tag)
  }
  tags.sort((a, b) => (finished(a) === finished(b) ? (a.name < b.name ? 1 : -1) : finished(a) < finished(b) ? 1 : -1))
  return options.limit !== undefined ? tags.slice(0, options.limit) : tags
}

export interface CreateDeployTagOptions {
  format?: string
  now?: () => Date
  runId?: string
  serverUrl?: string
  logger?: Logger
  /** How many `-2`, `-3` … suffixes to try when the name exists. Default 20. */
  maxSuffix?: number
}

export interface CreateDeployTagResult {
  tag: DeployTag
  /** false when an existing tag of the same run, commit, environment and directory was returned (a re-run). */
  created: boolean
  /** The last successful deploy tag of the environment before this one. */
  previous?: DeployTag
}

function isReferenceExists(error: unknown): boolean {
  const e = error as
    { status?: number; message?: string; response?: { data?: { message?: string } } } | null | undefined
  return e?.status === 422 && /already exists/i.test(`${e.response?.data?.message ?? ''} ${e.message ?? ''}`)
}

/**
 * Creates the annotated tag (POST git/tags, then POST git/refs) at metadata.sha. Idempotent for a
 * re-run: when a deploy tag with the same runUrl, sha, environment, directory and status exists it is returned and
 * nothing is written. When the name exists already (two deploys in one second), tries name-2, -3 ….
 */
export async function createDeployTag(
  client: Client,
  repo: RepoRef,
  metadata: DeployMetadata,
  options: CreateDeployTagOptions = {},
): Promise<CreateDeployTagResult> {
  assertRefSafeEnvironment(metadata.environment)
  const format = options.format ?? DEFAULT_TAG_FORMAT
  const serverUrl = options.serverUrl ?? 'https://github.com'
  const now = options.now ?? (() => new Date())
  const base = renderTagName(format, {
    environment: metadata.environment,
    date: now(),
    sha: metadata.sha,
    runId: options.runId ?? '',
  })
  // The newest 50 deploy tags: a re-run finds its own tag among them unless 50 deploys happened since.
  const existing = await listDeployTags(client, repo, metadata.environment, { format, serverUrl, scan: 50 })
  const previous = (sameRun?: DeployTag): DeployTag | undefined =>
    existing.find(
      (t) => t !== sameRun && t.metadata?.status === 'success' && (!sameRun || finished(t) <= finished(sameRun)),
    )
  if (metadata.runUrl) {
    // The directory belongs to the key: one run deploys several stacks (terraform-layers.yml).
    const same = existing.find(
      (t) =>
        t.metadata?.runUrl === metadata.runUrl &&
        t.metadata.sha === metadata.sha &&
        t.metadata.environment === metadata.environment &&
        t.metadata.workingDirectory === metadata.workingDirectory &&
        t.metadata.status === metadata.status &&
        (t.metadata.operation ?? 'deploy') === (metadata.operation ?? 'deploy'),
    )
    if (same) {
      options.logger?.info(
        `Deploy tag ${same.name} already records this run (${metadata.runUrl}); not creating another.`,
      )
      const prev = previous(same)
      return { tag: same, created: false, ...(prev ? { previous: prev } : {}) }
    }
  }
  const prev = previous()
  const max = options.maxSuffix ?? 20
  for (let n = 1; n <= max; n++) {
    const name = n === 1 ? base : `${base}-${n}`
    const message = formatDeployTagMessage(metadata)
    const tagObject = (
      await client.rest.git.createTag({ ...repo, tag: name, message, object: metadata.sha, type: 'commit' })
    ).data
    try {
      await client.rest.git.createRef({ ...repo, ref: `refs/tags/${name}`, sha: tagObject.sha })
    } catch (error) {
      if (isReferenceExists(error)) {
        options.logger?.info(`Tag ${name} exists already; trying the next suffix.`)
        continue
      }
      throw error
    }
    const tag: DeployTag = {
      name,
      tagSha: tagObject.sha,
      commitSha: metadata.sha,
      url: tagUrl(serverUrl, repo, name),
      message,
      metadata,
    }
    return { tag, created: true, ...(prev ? { previous: prev } : {}) }
  }
  throw new Error(`could not create a deploy tag: ${base} and ${max - 1} suffixed names all exist`)
}
