import * as core from '../../../packages/kit/src/workflow-commands.js'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { isAbsolute, join, resolve } from 'node:path'
import { ConfigurationError, errorMessage } from '../../../packages/kit/src/errors.js'
import { readRunContext, type RunContext } from '../../../packages/kit/src/context.js'
import { coreLogger, runAction, setOutput } from '../../../packages/kit/src/runner.js'
import { SummaryBuilder } from '../../../packages/kit/src/summary.js'
import type { Logger } from '../../../packages/kit/src/logger.js'
import { parsePlanJson } from '../../../packages/terraform/src/parse.js'
import { buildPlanModel } from '../../../packages/terraform/src/build-model.js'
import { planSecrets, redactPlan, scrubText } from '../../../packages/terraform/src/redact.js'
import { showPlanJson, showPlanText } from '../../../packages/terraform/src/exec.js'
import type { PlanModel } from '../../../packages/terraform/src/model.js'
import type { TerraformPlan } from '../../../packages/terraform/src/plan-json.js'
import { preparePlan, renderComment, renderFailure, renderSummary, type ReportLinks } from '../../../packages/plan-report/src/render.js'
import { buildReport } from '../../../packages/plan-report/src/report.js'
import { isMarkerFor } from '../../../packages/plan-report/src/marker.js'
import { artifactUrl, planArtifactName, uploadPlanArtifact, type UploadedArtifact } from '../../../packages/github/src/artifacts.js'
import type { UpsertResult } from '../../../packages/github/src/comments.js'
import type { GitHubClient } from '../../../packages/github/src/client.js'
import { readConfig, type Config } from './config.js'

const MINIMAL_BUDGET = 8_000

/** Octokit and its plugins load only once the inputs are valid (keeps a failing start fast). */
const github = async () => {
  const [client, comments, pulls] = await Promise.all([
    import('../../../packages/github/src/client.js'),
    import('../../../packages/github/src/comments.js'),
    import('../../../packages/github/src/pull-requests.js'),
  ])
  return { ...client, ...comments, ...pulls }
}
type GitHubModules = Awaited<ReturnType<typeof github>>

/** A path given relative to the workspace, or (fallback) to working-directory. */
function resolveInputPath(path: string, workingDirectory: string): string {
  if (isAbsolute(path)) return path
  const direct = resolve(path)
  if (existsSync(direct)) return direct
  const inDir = resolve(workingDirectory, path)
  return existsSync(inDir) ? inDir : direct
}

interface LoadedPlan {
  plan: TerraformPlan
  text?: string
}

/** Reads the plan JSON (and text); any failure is described in one line for the ❌ comment. */
async function loadPlan(config: Config, logger: Logger): Promise<LoadedPlan> {
  if (config.planFile) {
    const cwd = resolve(config.workingDirectory)
    const json = await showPlanJson(config.binary, config.planFile, cwd, { logger })
    const text = await showPlanText(config.binary, config.planFile, cwd, { logger })
    return { plan: parsePlanJson(json, `${config.binary} show -json ${config.planFile}`), text }
  }
  const jsonPath = resolveInputPath(config.planJson as string, config.workingDirectory)
  if (!existsSync(jsonPath)) {
    throw new ConfigurationError(`Input 'plan-json': file ${config.planJson} not found: check the path (relative to the workspace or working-directory) or the step that writes it.`)
  }
  const plan = parsePlanJson(readFileSync(jsonPath, 'utf8'), `plan-json ${config.planJson}`)
  const loaded: LoadedPlan = { plan }
  if (config.planText) {
    const textPath = resolveInputPath(config.planText, config.workingDirectory)
    if (!existsSync(textPath)) throw new ConfigurationError(`Input 'plan-text': file ${config.planText} not found: check the path or leave plan-text empty.`)
    loaded.text = readFileSync(textPath, 'utf8')
  }
  return loaded
}

function workDir(config: Config): string {
  const base = process.env.RUNNER_TEMP || tmpdir()
  mkdirSync(base, { recursive: true })
  return mkdtempSync(join(base, `tfpipe-plan-${planArtifactName(config.environment, config.directoryLabel).slice(7, 60)}-`))
}

async function uploadArtifact(config: Config, context: RunContext, dir: string, files: string[], logger: Logger): Promise<UploadedArtifact | undefined> {
  if (!config.uploadArtifact) return undefined
  if (!process.env.ACTIONS_RUNTIME_TOKEN || !process.env.ACTIONS_RESULTS_URL) {
    logger.warning('Artifact storage is not available here (no ACTIONS_RUNTIME_TOKEN/ACTIONS_RESULTS_URL, e.g. on GHES or outside Actions); the plan is not uploaded.')
    return undefined
  }
  const { DefaultArtifactClient } = await import('@actions/artifact')
  return uploadPlanArtifact({
    uploader: new DefaultArtifactClient(),
    name: planArtifactName(config.environment, config.directoryLabel),
    files,
    rootDirectory: dir,
    retentionDays: config.retentionDays,
    urlFor: (id) => artifactUrl(context.serverUrl, context.owner, context.repo, context.runId, id),
    logger,
  })
}

function setCountOutputs(model: PlanModel | undefined): void {
  const c = model?.counts
  setOutput('has-changes', model ? String(model.hasChanges) : 'false')
  for (const [name, value] of [
    ['add', c?.add],
    ['change', c?.change],
    ['destroy', c?.destroy],
    ['replace', c?.replace],
    ['import', c?.import],
    ['move', c?.move],
    ['forget', c?.forget],
    ['drift', c?.drift],
  ] as const) {
    setOutput(name, value === undefined ? '' : String(value))
  }
  setOutput('fingerprint', model?.fingerprint ?? '')
}

async function comment(
  gh: GitHubModules,
  config: Config,
  context: RunContext,
  client: GitHubClient | undefined,
  logger: Logger,
  bodies: { body: string; minimal: string; hasChanges: boolean },
): Promise<UpsertResult | undefined> {
  if (config.comment === 'off') return undefined
  if (!client) {
    logger.warning("No 'github-token': not commenting.")
    return undefined
  }
  const pr = await gh.findPullRequest(client, { owner: context.owner, repo: context.repo, eventName: context.eventName, event: context.event, sha: context.sha }, logger)
  if (!pr) {
    logger.info(`No pull request for this ${context.eventName || 'run'}: plan in the job summary, artifact and outputs only.`)
    return undefined
  }
  const result = await gh.upsertComment(client, {
    target: { owner: context.owner, repo: context.repo, issueNumber: pr.number },
    mode: config.comment,
    isOurs: (body) => isMarkerFor(body, config.environment, config.directoryLabel),
    body: bodies.body,
    minimalBody: bodies.minimal,
    hasChanges: bodies.hasChanges,
    logger,
  })
  if (result.action !== 'skipped') logger.info(`Plan comment ${result.action} on #${pr.number}: ${result.url ?? ''}`)
  return result
}

export async function run(): Promise<void> {
  await runAction('plan-and-comment', async () => {
    const config = readConfig()
    const context = readRunContext()
    const logger = coreLogger
    const gh = await github()
    const client = config.token && config.comment !== 'off' ? gh.createGitHubClient({ token: config.token, baseUrl: context.apiUrl, logger }) : undefined
    const dir = workDir(config)
    const links: ReportLinks = {}
    if (context.runUrl) links.runUrl = context.runUrl
    const view = { environment: config.environment, directory: config.directoryLabel, binary: config.binary }

    let loaded: LoadedPlan | undefined
    let failure: string | undefined
    try {
      loaded = await loadPlan(config, logger)
    } catch (error) {
      failure = errorMessage(error)
    }

    if (!loaded) {
      const what = failure ?? 'reading the plan failed'
      const [first, ...rest] = what.split('\n')
      setCountOutputs(undefined)
      const info = { ...view, what: first ?? what, details: rest.join('\n').trim(), links }
      if (config.summary) {
        const summary = new SummaryBuilder()
        summary.add(renderFailure(info, 'summary', 100_000))
        summary.write()
      }
      let commentError: string | undefined
      try {
        const body = renderFailure(info, 'comment')
        const result = await comment(gh, config, context, client, logger, { body, minimal: renderFailure({ ...info, details: '' }, 'comment'), hasChanges: true })
        setOutput('comment-id', result?.id ?? '')
        setOutput('comment-url', result?.url ?? '')
      } catch (error) {
        // said once, in the step's failure below
        commentError = gh.describeGitHubError(error, 'Writing the ❌ plan comment')
      }
      throw new ConfigurationError(`${what.split('\n')[0]}${commentError ? ` (and ${commentError})` : ''}`)
    }

    const { plan } = loaded
    // terraform masks what it knows is sensitive, but prints values whose marks it lost (e.g. a secret
    // copied into another attribute of the prior state) in clear: scrub every secret the JSON marks.
    const text = loaded.text === undefined ? undefined : scrubText(loaded.text, planSecrets(plan))
    const model = buildPlanModel(plan)
    const prepared = preparePlan(model, text)
    setCountOutputs(model)

    // The report and the review artifact: redacted JSON, the masked text, the report. Never the binary plan:
    // it holds every secret in clear and the artifact is readable by anyone who can read the run.
    const report = buildReport(model, config.environment, config.directoryLabel)
    const reportPath = join(dir, 'report.json')
    writeFileSync(reportPath, `${JSON.stringify(report, null, 2)}\n`)
    setOutput('report', reportPath)
    const artifactDir = join(dir, 'artifact')
    mkdirSync(artifactDir)
    const files = [join(artifactDir, 'plan.redacted.json'), join(artifactDir, 'report.json')]
    writeFileSync(files[0] as string, JSON.stringify(redactPlan(plan)))
    copyFileSync(reportPath, files[1] as string)
    if (text !== undefined) {
      const textPath = join(artifactDir, 'plan.txt')
      writeFileSync(textPath, text)
      files.push(textPath)
    }
    const artifact = await uploadArtifact(config, context, artifactDir, files, logger)
    setOutput('artifact-id', artifact ? String(artifact.id) : '')
    setOutput('artifact-url', artifact?.url ?? '')
    if (artifact) {
      links.artifactUrl = artifact.url
      links.artifactName = artifact.name
    } else if (config.uploadArtifact) {
      // no link: the pointer names the summary only
    }

    if (config.summary) {
      const summary = new SummaryBuilder()
      summary.add(renderSummary(prepared, { ...view, links }, summary.remaining() - 16))
      summary.write()
    }

    let commentError: string | undefined
    try {
      const body = renderComment(prepared, { ...view, links })
      const minimal = renderComment({ model }, { ...view, links, budget: MINIMAL_BUDGET })
      const result = await comment(gh, config, context, client, logger, { body, minimal, hasChanges: model.hasChanges || model.errored })
      setOutput('comment-id', result?.id !== undefined ? String(result.id) : '')
      setOutput('comment-url', result?.url ?? '')
    } catch (error) {
      commentError = gh.describeGitHubError(error, 'Writing the plan comment')
      setOutput('comment-id', '')
      setOutput('comment-url', '')
    }

    const line = `${config.environment ? `${config.environment} ` : ''}${config.directoryLabel}: ${prepared.terraformLine ?? (model.hasChanges ? 'changes' : 'no changes')}`
    core.info(line)
    if (model.errored) throw new ConfigurationError(`${config.binary} reported errors while planning ${config.directoryLabel}; the plan is incomplete.${commentError ? ` ${commentError}` : ''}`)
    if (commentError) throw new Error(commentError)
  })
}
