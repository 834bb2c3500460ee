import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { ConfigurationError } from '@tfpipe/kit/errors.js'

/**
 * Where and how a Terraform S3 backend keeps one workspace's state: read from an initialised
 * directory (`.terraform/terraform.tfstate`) or given explicitly.
 */
export interface BackendConfig {
  bucket: string
  /** The configured `key` (the default workspace's object key). */
  key: string
  region: string
  workspace: string
  /** `workspace_key_prefix`; `env:` unless configured. */
  workspaceKeyPrefix: string
  /** The object key of this workspace's state: `key`, or `<prefix>/<workspace>/<key>`. */
  statePath: string
  dynamodbTable?: string
  /** `use_lockfile`: the backend locks with `<statePath>.tflock` objects. */
  useLockfile: boolean
  endpoints: { s3?: string; dynamodb?: string }
  usePathStyle: boolean
  /** `encrypt` / `kms_key_id` / `acl`: applied when writing the state as terraform does. */
  encrypt: boolean
  kmsKeyId?: string
  acl?: string
  /** Static keys from the backend config (terraform uses them when set); otherwise the SDK's default chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }
  profile?: string
  source: 'working-directory' | 'explicit'
}

/** Explicit settings: they win over what the working directory says. */
export interface BackendOverrides {
  bucket?: string
  key?: string
  region?: string
  workspace?: string
  workspaceKeyPrefix?: string
  dynamodbTable?: string
  useLockfile?: boolean
  endpoint?: string
  dynamodbEndpoint?: string
  usePathStyle?: boolean
}

/**
 * How the caller names the backend options, for messages that say what to set: rollback-state's inputs
 * (the default) or tfpipe state's flags.
 */
export interface BackendOptionNames {
  bucket: string
  key: string
  region: string
  workingDirectory: string
}

/** rollback-state's input names (actions/rollback-state/action.yml; a unit test keeps them declared there). */
export const ROLLBACK_STATE_INPUTS: BackendOptionNames = {
  bucket: 'bucket',
  key: 'key',
  region: 'region',
  workingDirectory: 'working-directory',
}

const quoted = (name: string): string => (name.startsWith('-') ? name : `'${name}'`)

export interface ReadBackendOptions {
  /** Names used in messages (default ROLLBACK_STATE_INPUTS). */
  names?: BackendOptionNames
  /** The TF_WORKSPACE value, when set (it wins over `.terraform/environment`, as in terraform). */
  workspace?: string
  /** TF_DATA_DIR, when set; default `.terraform`. */
  dataDir?: string
  overrides?: BackendOverrides
}

export const DEFAULT_WORKSPACE = 'default'
export const DEFAULT_WORKSPACE_KEY_PREFIX = 'env:'

/** The object key of a workspace's state, as the S3 backend computes it. */
export function statePathFor(key: string, workspace: string, workspaceKeyPrefix: string): string {
  if (workspace === DEFAULT_WORKSPACE) return key
  return [workspaceKeyPrefix, workspace, key].filter((p) => p !== '').join('/')
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}

function bool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value
  if (value === 'true') return true
  if (value === 'false') return false
  return undefined
}

function validateWorkspace(workspace: string): void {
  if (!/^[A-Za-z0-9_.-]+$/.test(workspace)) {
    throw new ConfigurationError(
      `Workspace '${workspace}' is not a valid Terraform workspace name (letters, digits, '-', '_', '.').`,
    )
  }
}

/** Builds the config from explicit settings only (bucket, key and region are required). */
export function backendConfigFromSettings(
  settings: BackendOverrides,
  names: BackendOptionNames = ROLLBACK_STATE_INPUTS,
): BackendConfig {
  const orDir = `(or ${quoted(names.workingDirectory)} of an initialised terraform directory)`
  if (!settings.bucket) throw new ConfigurationError(`No state bucket: set ${quoted(names.bucket)} ${orDir}.`)
  if (!settings.key) throw new ConfigurationError(`No state key: set ${quoted(names.key)} ${orDir}.`)
  if (!settings.region) throw new ConfigurationError(`No AWS region: set ${quoted(names.region)} ${orDir}.`)
  const workspace = settings.workspace || DEFAULT_WORKSPACE
  validateWorkspace(workspace)
  const workspaceKeyPrefix = settings.workspaceKeyPrefix ?? DEFAULT_WORKSPACE_KEY_PREFIX
  const endpoints: BackendConfig['endpoints'] = {}
  if (settings.endpoint) endpoints.s3 = settings.endpoint
  if (settings.dynamodbEndpoint ?? settings.endpoint)
    endpoints.dynamodb = (settings.dynamodbEndpoint ?? settings.endpoint)!
  const config: BackendConfig = {
    bucket: settings.bucket,
    key: settings.key,
    region: settings.region,
    workspace,
    workspaceKeyPrefix,
    statePath: statePathFor(settings.key, workspace, workspaceKeyPrefix),
    useLockfile: settings.useLockfile ?? false,
    endpoints,
    usePathStyle: settings.usePathStyle ?? Boolean(settings.endpoint),
    encrypt: false,
    source: 'explicit',
  }
  if (settings.dynamodbTable) config.dynamodbTable = settings.dynamodbTable
  return config
}

/**
 * Reads the S3 backend settings of an initialised terraform directory from
 * `<dir>/.terraform/terraform.tfstate` (`backend.config`) and the selected workspace from
 * `<dir>/.terraform/environment`. Explicit overrides win field by field.
 */
export function readBackendConfig(workingDirectory: string, options: ReadBackendOptions = {}): BackendConfig {
  const dataDir = options.dataDir ? resolve(workingDirectory, options.dataDir) : join(workingDirectory, '.terraform')
  const file = join(dataDir, 'terraform.tfstate')
  const n = options.names ?? ROLLBACK_STATE_INPUTS
  if (!existsSync(file)) {
    throw new ConfigurationError(
      `${file} does not exist: run 'terraform init' in '${workingDirectory}' first, or give ${n.bucket}, ${n.key} and ${n.region} explicitly.`,
    )
  }
  let parsed: { backend?: { type?: string; config?: Record<string, unknown> } }
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as typeof parsed
  } catch (error) {
    throw new ConfigurationError(
      `${file} is not valid JSON (${error instanceof Error ? error.message : String(error)}); re-run 'terraform init'.`,
    )
  }
  const type = parsed.backend?.type
  if (!type)
    throw new ConfigurationError(
      `${workingDirectory} has no backend configured (local state): rollback-state needs an "s3" backend.`,
    )
  if (type !== 's3')
    throw new ConfigurationError(`${workingDirectory} uses the "${type}" backend; only the "s3" backend is supported.`)
  const c = parsed.backend?.config ?? {}
  const endpoints = (typeof c.endpoints === 'object' && c.endpoints !== null ? c.endpoints : {}) as Record<
    string,
    unknown
  >
  const o = options.overrides ?? {}

  let workspace = options.workspace
  const envFile = join(dataDir, 'environment')
  if (!workspace && existsSync(envFile)) workspace = readFileSync(envFile, 'utf8').trim() || undefined
  workspace = o.workspace || workspace || DEFAULT_WORKSPACE
  validateWorkspace(workspace)

  const bucket = o.bucket || str(c.bucket)
  const key = o.key || str(c.key)
  const region = o.region || str(c.region)
  if (!bucket || !key)
    throw new ConfigurationError(`The s3 backend in ${file} has no bucket or key; re-run 'terraform init'.`)
  if (!region) throw new ConfigurationError(`The s3 backend in ${file} has no region; set ${quoted(n.region)}.`)
  const workspaceKeyPrefix = o.workspaceKeyPrefix ?? str(c.workspace_key_prefix) ?? DEFAULT_WORKSPACE_KEY_PREFIX

  const s3Endpoint = o.endpoint || str(endpoints.s3) || str(c.endpoint)
  const dynamodbEndpoint = o.dynamodbEndpoint || o.endpoint || str(endpoints.dynamodb) || str(c.dynamodb_endpoint)
  const config: BackendConfig = {
    bucket,
    key,
    region,
    workspace,
    workspaceKeyPrefix,
    statePath: statePathFor(key, workspace, workspaceKeyPrefix),
    useLockfile: o.useLockfile ?? bool(c.use_lockfile) ?? false,
    endpoints: {},
    usePathStyle: o.usePathStyle ?? bool(c.use_path_style) ?? bool(c.force_path_style) ?? false,
    encrypt: bool(c.encrypt) ?? false,
    source: 'working-directory',
  }
  if (s3Endpoint) config.endpoints.s3 = s3Endpoint
  if (dynamodbEndpoint) config.endpoints.dynamodb = dynamodbEndpoint
  const table = o.dynamodbTable || str(c.dynamodb_table)
  if (table) config.dynamodbTable = table
  const kms = str(c.kms_key_id)
  if (kms) config.kmsKeyId = kms
  const acl = str(c.acl)
  if (acl) config.acl = acl
  const accessKeyId = str(c.access_key)
  const secretAccessKey = str(c.secret_key)
  if (accessKeyId && secretAccessKey) {
    config.credentials = { accessKeyId, secretAccessKey }
    const token = str(c.token)
    if (token) config.credentials.sessionToken = token
  }
  const profile = str(c.profile)
  if (profile) config.profile = profile
  if (str(c.sse_customer_key)) {
    throw new ConfigurationError(
      'The s3 backend uses sse_customer_key (SSE-C), which rollback-state does not support; restore the version by hand.',
    )
  }
  return config
}

/** A one-line description for logs (never includes credentials). */
export function describeBackend(config: BackendConfig): string {
  const locks = [
    config.useLockfile ? 'lockfile' : '',
    config.dynamodbTable ? `dynamodb:${config.dynamodbTable}` : '',
  ].filter(Boolean)
  return `s3://${config.bucket}/${config.statePath} (workspace ${config.workspace}, region ${config.region}, locks: ${locks.join(' + ') || 'none'})`
}
