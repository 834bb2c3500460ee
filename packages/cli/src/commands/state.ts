import { resolve } from 'node:path'
import { parseDuration, parseInteger } from '@tfpipe/kit/inputs.js'
import { consoleLogger } from '@tfpipe/kit/logger.js'
import {
  backendConfigFromSettings,
  describeBackend,
  readBackendConfig,
  type BackendConfig,
  type BackendOptionNames,
  type BackendOverrides,
} from '@tfpipe/state/backend-config.js'
import { createStateClients, type StateClients } from '@tfpipe/state/clients.js'
import { forceUnlock, listLocks } from '@tfpipe/state/locks.js'
import { rollbackState } from '@tfpipe/state/rollback.js'
import { type RollbackTarget } from '@tfpipe/state/rollback-model.js'
import { parseState } from '@tfpipe/state/state-file.js'
import { getStateObject, listStateVersions } from '@tfpipe/state/versions.js'
import { defineCommand, type CommandGroup, type Flags } from '../args.js'

/** Where the state is: every subcommand takes these. */
const BACKEND_FLAGS = [
  { name: 'dir', value: 'DIR', description: 'initialised terraform directory whose S3 backend to read (default .)' },
  { name: 'bucket', value: 'BUCKET', description: 'state bucket (with --key and --region: no --dir needed)' },
  { name: 'key', value: 'KEY', description: 'state key' },
  { name: 'region', value: 'REGION', description: 'AWS region' },
  {
    name: 'workspace',
    value: 'NAME',
    description: 'terraform workspace (default: TF_WORKSPACE, then the selected one)',
  },
  { name: 'workspace-key-prefix', value: 'PREFIX', description: 'workspace_key_prefix of the backend' },
  { name: 'dynamodb-table', value: 'TABLE', description: 'DynamoDB lock table' },
  { name: 'use-lockfile', description: 'the backend uses S3 lock files (use_lockfile)' },
  { name: 'endpoint', value: 'URL', description: 'S3 and DynamoDB endpoint (e.g. a local moto server)' },
] as const

const BACKEND_NOTES = `backend: read from <dir>/.terraform/terraform.tfstate (TF_WORKSPACE and TF_DATA_DIR honoured), or given by
  --bucket --key --region; the other backend flags override what was read.
credentials: the AWS SDK default chain (AWS_PROFILE, AWS_ACCESS_KEY_ID, SSO, ...).`

type BackendFlags = Flags<(typeof BACKEND_FLAGS)[number]['name']>

/** The backend option names as this CLI spells them, for the shared backend rules' messages. */
const BACKEND_FLAG_NAMES: BackendOptionNames = {
  bucket: '--bucket',
  key: '--key',
  region: '--region',
  workingDirectory: '--dir',
}

function backendFrom(flags: BackendFlags): BackendConfig {
  const o: BackendOverrides = {}
  const set = (flag: (typeof BACKEND_FLAGS)[number]['name'], apply: (v: string) => void): void => {
    const v = flags.string(flag)
    if (v !== undefined) apply(v)
  }
  set('bucket', (v) => (o.bucket = v))
  set('key', (v) => (o.key = v))
  set('region', (v) => (o.region = v))
  set('workspace', (v) => (o.workspace = v))
  set('workspace-key-prefix', (v) => (o.workspaceKeyPrefix = v))
  set('dynamodb-table', (v) => (o.dynamodbTable = v))
  set('endpoint', (v) => (o.endpoint = v))
  if (flags.bool('use-lockfile')) o.useLockfile = true
  if (!flags.has('dir') && o.bucket) return backendConfigFromSettings(o, BACKEND_FLAG_NAMES)
  const dir = resolve(flags.string('dir') ?? '.')
  return readBackendConfig(dir, {
    ...(process.env.TF_WORKSPACE ? { workspace: process.env.TF_WORKSPACE } : {}),
    ...(process.env.TF_DATA_DIR ? { dataDir: process.env.TF_DATA_DIR } : {}),
    overrides: o,
    names: BACKEND_FLAG_NAMES,
  })
}

/** Reads the backend, makes the clients, runs `body` and closes the clients. */
async function withBackend(
  flags: BackendFlags,
  body: (config: BackendConfig, clients: StateClients) => Promise<number>,
): Promise<number> {
  const config = backendFrom(flags)
  console.error(`backend: ${describeBackend(config)}`)
  const clients = createStateClients(config)
  try {
    return await body(config, clients)
  } finally {
    clients.destroy()
  }
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? []
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
}

const versions = defineCommand({
  name: 'state versions',
  summary: 'versions of the state, newest first, with their serials',
  flags: [...BACKEND_FLAGS, { name: 'limit', value: 'N', description: 'how many (0: all)', default: '20' }],
  notes: BACKEND_NOTES,
  run: (flags) => {
    const limit = parseInteger('--limit', flags.string('limit')!, { min: 0 })
    return withBackend(flags, (config, clients) => listVersions(config, clients, limit))
  },
})

async function listVersions(config: BackendConfig, clients: StateClients, limit: number): Promise<number> {
  const list = await listStateVersions(config, clients, limit > 0 ? { limit } : {})
  if (list.length === 0) {
    console.log(`no versions of s3://${config.bucket}/${config.statePath}`)
    return 0
  }
  // Serials need the body: cheap for the first rows only.
  const serials = await Promise.all(
    list.map(async (v, i) => {
      if (i >= 20) return ''
      const object = await getStateObject(config, clients, v.versionId)
      try {
        return object ? String(parseState(object.bytes).serial) : ''
      } catch {
        return '?'
      }
    }),
  )
  const rows = [['#', 'VERSION ID', 'LAST MODIFIED', 'SIZE', 'SERIAL', '']]
  list.forEach((v, i) =>
    rows.push([
      String(i),
      v.versionId,
      v.lastModified.toISOString(),
      String(v.size),
      serials[i] ?? '',
      v.isLatest ? 'current' : '',
    ]),
  )
  console.log(table(rows))
  if (limit > 0 && list.length === limit) console.log(`(first ${limit}; --limit 0 lists all)`)
  return 0
}

const rollback = defineCommand({
  name: 'state rollback',
  summary: 'restore an earlier version of the state (a preview; writes only with --yes)',
  flags: [
    ...BACKEND_FLAGS,
    { name: 'version-id', value: 'ID', description: 'the S3 version to restore (tfpipe state versions lists them)' },
    { name: 'steps-back', value: 'N', description: 'restore the version N steps before the current one' },
    { name: 'yes', description: 'write the restore (without it: a dry run)' },
    {
      name: 'lock-timeout',
      value: 'DURATION',
      description: "how long to wait for the backend's locks",
      default: '60s',
    },
    { name: 'reason', value: 'TEXT', description: 'recorded in the lock info and the backup' },
    { name: 'allow-lineage-change', description: 'allow restoring a state of another lineage' },
  ],
  oneOf: [['version-id', 'steps-back']],
  notes: BACKEND_NOTES,
  run: (flags) => {
    // values first: a bad one is refused before any backend is read
    const versionId = flags.string('version-id')
    const target: RollbackTarget =
      versionId !== undefined
        ? { versionId }
        : { stepsBack: parseInteger('--steps-back', flags.string('steps-back')!, { min: 1 }) }
    const lockTimeoutMs = parseDuration('--lock-timeout', flags.string('lock-timeout')!)
    return withBackend(flags, (config, clients) => restore(config, clients, target, lockTimeoutMs, flags))
  },
})

async function restore(
  config: BackendConfig,
  clients: StateClients,
  target: RollbackTarget,
  lockTimeoutMs: number,
  flags: Flags<'yes' | 'allow-lineage-change' | 'reason'>,
): Promise<number> {
  const write = flags.bool('yes')
  const result = await rollbackState({
    config,
    clients,
    target,
    dryRun: !write,
    allowLineageChange: flags.bool('allow-lineage-change'),
    lockTimeoutMs,
    who: `${process.env.USER ?? 'someone'} (tfpipe state rollback)`,
    reason: flags.string('reason') ?? '',
    logger: consoleLogger(Boolean(process.env.TFPIPE_DEBUG)),
  })
  const p = result.preview
  console.log(`state:    s3://${p.bucket}/${p.statePath} (workspace ${p.workspace})`)
  console.log(`current:  ${p.current.versionId}  serial ${p.current.serial}  ${p.current.lastModified ?? ''}`)
  console.log(`restore:  ${p.target.versionId}  serial ${p.target.serial}  ${p.target.lastModified ?? ''}`)
  console.log(`write as: serial ${p.newSerial}, lineage ${p.lineage}${p.lineageChanged ? ' (lineage changes!)' : ''}`)
  console.log(
    `resources: +${p.diff.added.length} -${p.diff.removed.length} ~${p.diff.changed.length} (=${p.diff.unchanged})`,
  )
  for (const a of p.diff.added) console.log(`  + ${a}`)
  for (const a of p.diff.removed) console.log(`  - ${a}`)
  for (const a of p.diff.changed) console.log(`  ~ ${a}`)
  for (const l of p.heldLocks)
    console.log(
      `held lock: ${l.kind} ${l.location} by ${l.info?.Who ?? '?'} since ${l.info?.Created ?? '?'} (ID ${l.id})`,
    )
  if (result.dryRun) {
    console.log('dry run: nothing written; add --yes to restore.')
  } else {
    console.log(
      `restored: new version ${result.newVersionId}${result.backupKey ? `; backup s3://${p.bucket}/${result.backupKey}` : ''}`,
    )
    console.log(`undo:     tfpipe state rollback --version-id ${result.previousVersionId} --yes`)
  }
  return 0
}

const locks = defineCommand({
  name: 'state locks',
  summary: 'held locks of the state (DynamoDB and S3 lock files)',
  flags: [...BACKEND_FLAGS, { name: 'all', description: 'every state in the bucket and table, not only this one' }],
  notes: BACKEND_NOTES,
  run: (flags) => withBackend(flags, (config, clients) => listHeld(config, clients, flags.bool('all'))),
})

async function listHeld(config: BackendConfig, clients: StateClients, all: boolean): Promise<number> {
  const held = await listLocks(config, clients, { allStates: all })
  if (held.length === 0) {
    console.log('no locks held')
    return 0
  }
  const rows = [['KIND', 'LOCK ID', 'WHO', 'OPERATION', 'CREATED', 'WHERE']]
  for (const l of held)
    rows.push([l.kind, l.id, l.info?.Who ?? '?', l.info?.Operation ?? '?', l.info?.Created ?? '?', l.location])
  console.log(table(rows))
  return 0
}

const unlock = defineCommand({
  name: 'state unlock',
  summary: 'remove a lock left by a crashed run (both kinds)',
  flags: [
    ...BACKEND_FLAGS,
    { name: 'lock-id', value: 'ID', description: 'the lock ID (tfpipe state locks shows it)', required: true },
  ],
  notes: BACKEND_NOTES,
  run: (flags) => withBackend(flags, (config, clients) => release(config, clients, flags.string('lock-id')!)),
})

async function release(config: BackendConfig, clients: StateClients, id: string): Promise<number> {
  const removed = await forceUnlock(config, clients, id)
  if (removed.length === 0) {
    console.error(`no lock with ID ${id} on s3://${config.bucket}/${config.statePath}`)
    return 1
  }
  console.log(`released ${removed.join(' + ')} lock ${id}`)
  return 0
}

export const command: CommandGroup = {
  name: 'state',
  summary: 'list state versions, show locks, roll the S3 state back, release a leftover lock',
  subcommands: [versions, rollback, locks, unlock],
  notes: BACKEND_NOTES,
}
