import { resolve } from 'node:path'
import { parseDuration, parseInteger } from '../../../kit/src/inputs.js'
import { consoleLogger } from '../../../kit/src/logger.js'
import { backendConfigFromSettings, describeBackend, readBackendConfig, type BackendConfig, type BackendOverrides } from '../../../state/src/backend-config.js'
import { createStateClients, type StateClients } from '../../../state/src/clients.js'
import { forceUnlock, listLocks } from '../../../state/src/locks.js'
import { rollbackState } from '../../../state/src/rollback.js'
import { type RollbackTarget } from '../../../state/src/rollback-model.js'
import { parseState } from '../../../state/src/state-file.js'
import { getStateObject, listStateVersions } from '../../../state/src/versions.js'
import { parseArgs, requireFlag } from '../args.js'
import { CliError } from '../errors.js'

export const summary = 'list state versions, show locks, roll the S3 state back, release a leftover lock'

const HELP = `usage:
  tfpipe state versions [--dir .] [--limit 20]            versions of the state, newest first (--limit 0: all)
  tfpipe state rollback [--dir .] (--version-id ID | --steps-back N) [--yes]
                        [--lock-timeout 60s] [--reason TEXT] [--allow-lineage-change]
                                                         preview; writes only with --yes
  tfpipe state locks    [--dir .] [--all]                 held locks (--all: every state in the bucket/table)
  tfpipe state unlock   [--dir .] --lock-id ID            remove a lock left by a crashed run (both kinds)

backend: read from <dir>/.terraform/terraform.tfstate (TF_WORKSPACE and TF_DATA_DIR honoured), or give
  --bucket --key --region [--workspace W] [--workspace-key-prefix P] [--dynamodb-table T] [--use-lockfile] [--endpoint URL]
credentials: the AWS SDK default chain (AWS_PROFILE, AWS_ACCESS_KEY_ID, SSO, ...).`

const BOOLEANS = ['yes', 'allow-lineage-change', 'all', 'use-lockfile', 'help']

function backendFrom(flags: Map<string, string>): BackendConfig {
  const o: BackendOverrides = {}
  const set = (flag: string, apply: (v: string) => void): void => {
    const v = flags.get(flag)
    if (v !== undefined && v !== '') apply(v)
  }
  set('bucket', (v) => (o.bucket = v))
  set('key', (v) => (o.key = v))
  set('region', (v) => (o.region = v))
  set('workspace', (v) => (o.workspace = v))
  set('workspace-key-prefix', (v) => (o.workspaceKeyPrefix = v))
  set('dynamodb-table', (v) => (o.dynamodbTable = v))
  set('endpoint', (v) => (o.endpoint = v))
  if (flags.get('use-lockfile') === 'true') o.useLockfile = true
  if (!flags.has('dir') && o.bucket) return backendConfigFromSettings(o)
  const dir = resolve(flags.get('dir') ?? '.')
  return readBackendConfig(dir, {
    ...(process.env.TF_WORKSPACE ? { workspace: process.env.TF_WORKSPACE } : {}),
    ...(process.env.TF_DATA_DIR ? { dataDir: process.env.TF_DATA_DIR } : {}),
    overrides: o,
  })
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? []
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n')
}

async function versions(config: BackendConfig, clients: StateClients, flags: Map<string, string>): Promise<number> {
  const limit = parseInteger('--limit', flags.get('limit') ?? '20', { min: 0 })
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
  list.forEach((v, i) => rows.push([String(i), v.versionId, v.lastModified.toISOString(), String(v.size), serials[i] ?? '', v.isLatest ? 'current' : '']))
  console.log(table(rows))
  if (limit > 0 && list.length === limit) console.log(`(first ${limit}; --limit 0 lists all)`)
  return 0
}

async function rollback(config: BackendConfig, clients: StateClients, flags: Map<string, string>): Promise<number> {
  const versionId = flags.get('version-id')
  const steps = flags.get('steps-back')
  if (versionId && steps) throw new CliError('give --version-id or --steps-back, not both.')
  const target: RollbackTarget = versionId ? { versionId } : { stepsBack: parseInteger('--steps-back', steps ?? '1', { min: 1 }) }
  const write = flags.get('yes') === 'true'
  const result = await rollbackState({
    config,
    clients,
    target,
    dryRun: !write,
    allowLineageChange: flags.get('allow-lineage-change') === 'true',
    lockTimeoutMs: parseDuration('--lock-timeout', flags.get('lock-timeout') ?? '60s'),
    who: `${process.env.USER ?? 'someone'} (tfpipe state rollback)`,
    reason: flags.get('reason') ?? '',
    logger: consoleLogger(Boolean(process.env.TFPIPE_DEBUG)),
  })
  const p = result.preview
  console.log(`state:    s3://${p.bucket}/${p.statePath} (workspace ${p.workspace})`)
  console.log(`current:  ${p.current.versionId}  serial ${p.current.serial}  ${p.current.lastModified ?? ''}`)
  console.log(`restore:  ${p.target.versionId}  serial ${p.target.serial}  ${p.target.lastModified ?? ''}`)
  console.log(`write as: serial ${p.newSerial}, lineage ${p.lineage}${p.lineageChanged ? ' (lineage changes!)' : ''}`)
  console.log(`resources: +${p.diff.added.length} -${p.diff.removed.length} ~${p.diff.changed.length} (=${p.diff.unchanged})`)
  for (const a of p.diff.added) console.log(`  + ${a}`)
  for (const a of p.diff.removed) console.log(`  - ${a}`)
  for (const a of p.diff.changed) console.log(`  ~ ${a}`)
  for (const l of p.heldLocks) console.log(`held lock: ${l.kind} ${l.location} by ${l.info?.Who ?? '?'} since ${l.info?.Created ?? '?'} (ID ${l.id})`)
  if (result.dryRun) {
    console.log('dry run: nothing written; add --yes to restore.')
  } else {
    console.log(`restored: new version ${result.newVersionId}${result.backupKey ? `; backup s3://${p.bucket}/${result.backupKey}` : ''}`)
    console.log(`undo:     tfpipe state rollback --version-id ${result.previousVersionId} --yes`)
  }
  return 0
}

async function locks(config: BackendConfig, clients: StateClients, flags: Map<string, string>): Promise<number> {
  const held = await listLocks(config, clients, { allStates: flags.get('all') === 'true' })
  if (held.length === 0) {
    console.log('no locks held')
    return 0
  }
  const rows = [['KIND', 'LOCK ID', 'WHO', 'OPERATION', 'CREATED', 'WHERE']]
  for (const l of held) rows.push([l.kind, l.id, l.info?.Who ?? '?', l.info?.Operation ?? '?', l.info?.Created ?? '?', l.location])
  console.log(table(rows))
  return 0
}

async function unlock(config: BackendConfig, clients: StateClients, flags: Map<string, string>): Promise<number> {
  const id = requireFlag(flags, 'lock-id')
  const removed = await forceUnlock(config, clients, id)
  if (removed.length === 0) {
    console.error(`no lock with ID ${id} on s3://${config.bucket}/${config.statePath}`)
    return 1
  }
  console.log(`released ${removed.join(' + ')} lock ${id}`)
  return 0
}

export async function run(args: string[]): Promise<number> {
  const [sub, ...rest] = args
  const { flags, positionals } = parseArgs(rest, BOOLEANS)
  if (!sub || sub === '--help' || sub === 'help' || flags.has('help')) {
    console.log(HELP)
    return sub ? 0 : 2
  }
  if (positionals.length > 0) throw new CliError(`unexpected argument '${positionals[0]}'.\n${HELP}`)
  const commands: Record<string, (c: BackendConfig, cl: StateClients, f: Map<string, string>) => Promise<number>> = { versions, rollback, locks, unlock }
  const command = commands[sub]
  if (!command) throw new CliError(`unknown subcommand '${sub}'.\n${HELP}`)
  const config = backendFrom(flags)
  console.error(`backend: ${describeBackend(config)}`)
  const clients = createStateClients(config)
  try {
    return await command(config, clients, flags)
  } finally {
    clients.destroy()
  }
}
