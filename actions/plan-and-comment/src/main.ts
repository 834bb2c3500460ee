import * as core from '@actions/core'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { isAbsolute, join, resolve } from 'node:path'
import { ConfigurationError, errorMessage } from '@tfpipe/kit/errors.js'
import { readRunContext, type RunContext } from '@tfpipe/kit/context.js'
import { coreLogger, runAction, setOutput } from '@tfpipe/kit/runner.js'
import { SummaryBuilder } from '@tfpipe/kit/summary.js'
import type { Logger } from '@tfpipe/kit/logger.js'
import { parsePlanJson } from '@tfpipe/terraform/parse.js'
import { buildPlanModel } from '@tfpipe/terraform/build-model.js'
import { planSecrets, redactPlan } from '@tfpipe/terraform/sensitive-places.js'
import { scrubText } from '@tfpipe/terraform/scrub.js'
import { showPlanJson, showPlanText } from '@tfpipe/terraform/exec.js'
import type { PlanModel } from '@tfpipe/terraform/model.js'
import type { TerraformPlan } from '@tfpipe/terraform/plan-json.js'
import { preparePlan, type ReportLinks } from '@tfpipe/plan-report/prepared.js'
import { renderComment, renderSummaryWithStats } from '@tfpipe/plan-report/render.js'
import { renderFailure } from '@tfpipe/plan-report/failure.js'
import { escapeText } from '@tfpipe/markdown/escape.js'
import {
  blobUrl,
  costInsight,
  gatePreview,
  renderInsights,
  securityInsight,
  type GatePreview,
  type Insights,
} from '@tfpipe/plan-report/insights.js'
import { loadInfracost, loadSarif } from '@tfpipe/policy/plan-source.js'
import { environmentPolicy, loadPolicyFile } from '@tfpipe/policy/load.js'
import type { InfracostDiff } from '@tfpipe/policy/cost.js'
import type { SarifLog } from '@tfpipe/policy/sarif.js'
import type { EnvironmentPolicy } from '@tfpipe/policy/types.js'
import type { PullRequestRef } from '@tfpipe/policy/context.js'
import { planLabelKind, syncPlanLabels } from '@tfpipe/github/labels.js'
import { isCombinedMarkerFor, renderCombined } from '@tfpipe/plan-report/combined.js'
import type { PlanReport } from '@tfpipe/plan-report/report.js'
import { globSync } from 'node:fs'
import { buildReport } from '@tfpipe/plan-report/report.js'
import { isMarkerFor } from '@tfpipe/plan-report/marker.js'
import { artifactUrl, planArtifactName, uploadPlanArtifact, type UploadedArtifact } from '@tfpipe/github/artifacts.js'
import { upsertComment, type UpsertResult } from '@tfpipe/github/comments.js'
import { createGitHubClient, type GitHubClient } from '@tfpipe/github/client.js'
import { describeGitHubError } from '@tfpipe/github/errors.js'
import { findPullRequest } from '@tfpipe/github/pull-requests.js'
import { codeScanningRef, uploadSarif } from '@tfpipe/github/code-scanning.js'
import { readConfig, type Config } from './config.js'

const MINIMAL_BUDGET = 8_000

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
    // both read the same plan file: run them side by side; parsing the JSON overlaps the text's show
    const textPromise = showPlanText(config.binary, config.planFile, cwd, { logger })
    textPromise.catch(() => undefined) // awaited below; a JSON failure must not leave it unhandled
    const json = await showPlanJson(config.binary, config.planFile, cwd, { logger })
    const plan = parsePlanJson(json, `${config.binary} show -json ${config.planFile}`)
    return { plan, text: await textPromise }
  }
  const jsonPath = resolveInputPath(config.planJson!, config.workingDirectory)
  if (!existsSync(jsonPath)) {
    throw new ConfigurationError(
      `Input 'plan-json': file ${config.planJson} not found: check the path (relative to the workspace or working-directory) or the step that writes it.`,
    )
  }
  const plan = parsePlanJson(readFileSync(jsonPath, 'utf8'), `plan-json ${config.planJson}`)
  const loaded: LoadedPlan = { plan }
  if (config.planText) {
    const textPath = resolveInputPath(config.planText, config.workingDirectory)
    if (!existsSync(textPath))
      throw new ConfigurationError(
        `Input 'plan-text': file ${config.planText} not found: check the path or leave plan-text empty.`,
      )
    loaded.text = readFileSync(textPath, 'utf8')
  }
  return loaded
}

function workDir(config: Config): string {
  const base = process.env.RUNNER_TEMP || tmpdir()
  mkdirSync(base, { recursive: true })
  return mkdtempSync(
    join(base, `tfpipe-plan-${planArtifactName(config.environment, config.directoryLabel).slice(7, 60)}-`),
  )
}

/** upload-artifact, where the runner offers artifact storage (warns once when it does not). */
function artifactWanted(config: Config, logger: Logger): boolean {
  if (!config.uploadArtifact) return false
  if (!process.env.ACTIONS_RUNTIME_TOKEN || !process.env.ACTIONS_RESULTS_URL) {
    logger.warning(
      'Artifact storage is not available here (no ACTIONS_RUNTIME_TOKEN/ACTIONS_RESULTS_URL, e.g. on GHES or outside Actions); the plan is not uploaded.',
    )
    return false
  }
  return true
}

async function uploadArtifact(
  config: Config,
  context: RunContext,
  dir: string,
  files: string[],
  logger: Logger,
): Promise<UploadedArtifact | undefined> {
  // loaded only to upload: @actions/artifact and the Azure SDK under it are a third of the bundle's memory
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

type FoundPr = Awaited<ReturnType<typeof findPullRequest>>

async function findPr(
  config: Config,
  context: RunContext,
  client: GitHubClient | undefined,
  logger: Logger,
): Promise<FoundPr> {
  if (!client || (config.comment === 'off' && !config.labels)) return undefined
  const pr = await findPullRequest(
    client,
    { owner: context.owner, repo: context.repo, eventName: context.eventName, event: context.event, sha: context.sha },
    logger,
  )
  if (!pr)
    logger.info(
      `No pull request for this ${context.eventName || 'run'}: plan in the job summary, artifact and outputs only.`,
    )
  return pr
}

async function comment(
  config: Config,
  context: RunContext,
  client: GitHubClient | undefined,
  pr: FoundPr,
  logger: Logger,
  bodies: { body: string; minimal: string; hasChanges: boolean },
): Promise<UpsertResult | undefined> {
  if (config.comment === 'off') return undefined
  if (!client) {
    logger.warning("No 'github-token': not commenting.")
    return undefined
  }
  if (!pr) return undefined
  const result = await upsertComment(client, {
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

interface InsightInputs {
  infracost?: { path: string; diff: InfracostDiff }
  sarif: { path: string; log: SarifLog }[]
  policy?: EnvironmentPolicy
}

/** Reads infracost-json, sarif and policy-file up front: a bad one fails the step before any work. */
function loadInsightInputs(config: Config): InsightInputs {
  const inputs: InsightInputs = { sarif: [] }
  if (config.infracostJson) {
    const path = resolveInputPath(config.infracostJson, config.workingDirectory)
    inputs.infracost = { path, diff: loadInfracost(path) }
  }
  inputs.sarif = config.sarif.map((file) => {
    const path = resolveInputPath(file, config.workingDirectory)
    return { path, log: loadSarif(path) }
  })
  if (config.policyFile) {
    const path = resolveInputPath(config.policyFile, config.workingDirectory)
    inputs.policy = environmentPolicy(loadPolicyFile(path), config.environment, `policy-file ${config.policyFile}`)
  }
  return inputs
}

/**
 * code-scanning: each SARIF file as its own analysis for this run's commit and ref. Failures are returned
 * (one line each) so the step fails after the comment is written, not before.
 */
async function uploadToCodeScanning(
  config: Config,
  context: RunContext,
  client: GitHubClient | undefined,
  files: { path: string }[],
  logger: Logger,
): Promise<{ ids: string[]; error?: string }> {
  if (!config.codeScanning) return { ids: [] }
  if (!client) return { ids: [], error: "Input 'code-scanning' needs 'github-token' (with security-events: write)." }
  const badRef = codeScanningRef(context.ref, context.sha)
  if (badRef)
    return {
      ids: [],
      error: `Code scanning upload skipped: ${badRef}; run it from a push or pull_request workflow, or set code-scanning to false.`,
    }
  const ids: string[] = []
  for (const file of files) {
    try {
      const result = await uploadSarif(
        client,
        { owner: context.owner, repo: context.repo, commitSha: context.sha, ref: context.ref },
        {
          label: file.path,
          text: readFileSync(file.path, 'utf8'),
          directory: config.directoryLabel,
          repoPath: (uri) => repoPath(uri, config),
        },
        logger,
      )
      ids.push(result.id)
    } catch (error) {
      const raw = (error as { response?: { data?: { message?: unknown } } }).response?.data?.message
      const message = typeof raw === 'string' ? raw : ''
      const hint = /advanced security/i.test(message)
        ? '; without GitHub Advanced Security set code-scanning to false (the findings stay in the comment and the gate)'
        : ''
      return { ids, error: `${describeGitHubError(error, `Uploading ${file.path} to code scanning`)}${hint}` }
    }
  }
  return { ids }
}

/** The labels and head commit of the pull request, from the event (no extra request). */
function pullRequestRef(context: RunContext, pr: FoundPr): PullRequestRef | undefined {
  if (!pr) return undefined
  const payload = (context.event.pull_request ?? context.event.issue) as
    { labels?: { name?: string }[]; html_url?: string; merged?: boolean } | undefined
  const labels = (payload?.labels ?? []).map((l) => l.name ?? '').filter((l) => l !== '')
  return { number: pr.number, url: payload?.html_url ?? '', labels, merged: payload?.merged === true }
}

/** The commit SARIF paths link to: the PR head on pull_request events (the merge commit is not browsable). */
function codeSha(context: RunContext): string {
  const head = (context.event.pull_request as { head?: { sha?: string } } | undefined)?.head?.sha
  return head ?? context.sha
}

/** A SARIF location as a repository path: relative to the workspace, or (when only there) to working-directory. */
function repoPath(file: string, config: Config): string {
  const workspace = resolve(process.env.GITHUB_WORKSPACE || '.')
  let path = file.replace(/^file:\/\//, '')
  if (isAbsolute(path)) path = path.startsWith(`${workspace}/`) ? path.slice(workspace.length + 1) : path
  else if (
    config.directoryLabel !== '.' &&
    !existsSync(join(workspace, path)) &&
    existsSync(join(workspace, config.directoryLabel, path))
  )
    path = `${config.directoryLabel}/${path}`
  return path
}

function nextStepLine(config: Config, model: PlanModel, preview: GatePreview | undefined): string | undefined {
  const template = config.nextStep.trim()
  if (template === '' || template === 'off' || !model.hasChanges || model.errored) return undefined
  const step = escapeText(template.replace(/\{env\}/g, config.environment))
  return preview && preview.refusing.length > 0
    ? `➡️ **Next:** fix what the gate preview refuses, then ${step}`
    : `➡️ **Next:** ${step}`
}

/**
 * The model, the prepared text and the artifact files (redacted JSON, the scrubbed text, the binary plan),
 * from the raw plan, which the caller drops afterwards: the model keeps no values (the renderers read none),
 * so a 10,000-resource plan does not stay in memory twice.
 */
function digestPlan(
  loaded: LoadedPlan,
  artifactDir: string | undefined,
): {
  model: PlanModel
  prepared: ReturnType<typeof preparePlan>
  secrets: string[]
  files: string[]
  hasText: boolean
} {
  const { plan } = loaded
  // terraform masks what it knows is sensitive, but prints values whose marks it lost (e.g. a secret
  // copied into another attribute of the prior state) in clear: scrub every secret the JSON marks.
  const secrets = planSecrets(plan)
  const text = loaded.text === undefined ? undefined : scrubText(loaded.text, secrets)
  const model = buildPlanModel(plan, { values: false, secrets })
  // the artifact files only when there is an artifact: redacting a large plan is a full copy of it
  const files: string[] = []
  if (artifactDir !== undefined) {
    mkdirSync(artifactDir)
    files.push(join(artifactDir, 'plan.redacted.json'))
    writeFileSync(files[0]!, JSON.stringify(redactPlan(plan)))
    if (text !== undefined) {
      const textPath = join(artifactDir, 'plan.txt')
      writeFileSync(textPath, text)
      files.push(textPath)
    }
  }
  return { model, prepared: preparePlan(model, text), secrets: [...secrets], files, hasText: text !== undefined }
}

/** The report files of combine-reports: paths or globs (relative to the workspace), sorted, each read once. */
function readReports(patterns: string[]): PlanReport[] {
  const files = new Set<string>()
  for (const pattern of patterns) {
    const glob = /[*?[]/.test(pattern)
    if (glob && typeof globSync !== 'function')
      throw new ConfigurationError(
        `Input 'combine-reports': globs need Node 22 or later (the action runs on node24); list the files instead of '${pattern}'.`,
      )
    const matches = glob ? globSync(pattern).sort() : [pattern]
    if (matches.length === 0)
      throw new ConfigurationError(
        `Input 'combine-reports': '${pattern}' matches no file; download the matrix jobs' report artifacts there first.`,
      )
    for (const m of matches) files.add(resolve(m))
  }
  return [...files].map((file) => {
    let data: unknown
    try {
      data = JSON.parse(readFileSync(file, 'utf8'))
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT'
      throw new ConfigurationError(
        `Input 'combine-reports': ${missing ? `${file} does not exist` : `${file} is not valid JSON`}; give the report files written by plan-and-comment (output 'report').`,
      )
    }
    const r = data as Partial<PlanReport> | null
    if (
      r?.schema !== 1 ||
      typeof r.directory !== 'string' ||
      typeof r.environment !== 'string' ||
      !r.counts ||
      !r.addresses
    ) {
      throw new ConfigurationError(
        `Input 'combine-reports': ${file} is not a plan-and-comment report (schema 1); give the files of the 'report' output.`,
      )
    }
    return r as PlanReport
  })
}

/** combine-reports: one comment per directory for all environments. */
async function runCombine(
  config: Config,
  context: RunContext,
  client: GitHubClient | undefined,
  logger: Logger,
): Promise<void> {
  const reports = readReports(config.combineReports)
  const byDir = new Map<string, PlanReport[]>()
  for (const r of reports) {
    const list = byDir.get(r.directory)
    if (list) list.push(r)
    else byDir.set(r.directory, [r])
  }
  const pr = await findPr(config, context, client, logger)
  const urls: string[] = []
  const ids: string[] = []
  for (const [directory, list] of byDir) {
    const envs = list.map((r) => r.environment)
    const dup = envs.find((e, i) => envs.indexOf(e) !== i)
    if (dup !== undefined)
      throw new ConfigurationError(
        `Input 'combine-reports': two reports for environment '${dup}' in ${directory}; give one report per environment and directory.`,
      )
    const body = renderCombined(directory, list)
    const minimal = renderCombined(directory, list, MINIMAL_BUDGET)
    if (config.summary) {
      const summary = new SummaryBuilder()
      summary.add(body.slice(body.indexOf('\n') + 1))
      await summary.write()
    }
    if (config.comment === 'off' || !client || !pr) continue
    const result = await upsertComment(client, {
      target: { owner: context.owner, repo: context.repo, issueNumber: pr.number },
      mode: config.comment,
      isOurs: (b) => isCombinedMarkerFor(b, directory),
      body,
      minimalBody: minimal,
      hasChanges: list.some((r) => r.hasChanges || r.errored),
      logger,
    })
    if (result.action !== 'skipped')
      logger.info(`Combined plan comment for ${directory} ${result.action} on #${pr.number}: ${result.url ?? ''}`)
    if (result.id !== undefined) ids.push(String(result.id))
    if (result.url) urls.push(result.url)
  }
  setOutput('comment-id', ids.join(','))
  setOutput('comment-url', urls.join(','))
  setOutput('has-changes', String(reports.some((r) => r.hasChanges)))
}

export async function run(): Promise<void> {
  await runAction('plan-and-comment', async () => {
    const config = readConfig()
    const context = readRunContext()
    const logger = coreLogger
    const client =
      config.token && (config.comment !== 'off' || config.labels || config.codeScanning)
        ? createGitHubClient({ token: config.token, baseUrl: context.apiUrl, logger })
        : undefined
    if (config.combineReports.length > 0) {
      await runCombine(config, context, client, logger)
      return
    }
    const inputs = loadInsightInputs(config)
    const dir = workDir(config)
    const links: ReportLinks = {}
    if (context.runUrl) links.runUrl = context.runUrl
    const view = { environment: config.environment, directory: config.directoryLabel, binary: config.binary }

    let loaded: LoadedPlan | undefined
    let failure: string | undefined
    // the pull request lookup (push events: one request) and the code scanning uploads run while terraform shows the plan
    const prPromise = findPr(config, context, client, logger)
    const scanningPromise = uploadToCodeScanning(config, context, client, inputs.sarif, logger)
    try {
      loaded = await loadPlan(config, logger)
    } catch (error) {
      failure = errorMessage(error)
    }
    const pr = await prPromise
    const scanning = await scanningPromise
    setOutput('code-scanning-ids', scanning.ids.join(','))

    if (!loaded) {
      const what = failure ?? 'reading the plan failed'
      const [first, ...rest] = what.split('\n')
      setCountOutputs(undefined)
      const info = { ...view, what: first ?? what, details: rest.join('\n').trim(), links }
      if (config.summary) {
        const summary = new SummaryBuilder()
        summary.add(renderFailure(info, 'summary', 100_000))
        await summary.write()
      }
      let commentError: string | undefined
      try {
        const body = renderFailure(info, 'comment')
        const result = await comment(config, context, client, pr, logger, {
          body,
          minimal: renderFailure({ ...info, details: '' }, 'comment'),
          hasChanges: true,
        })
        setOutput('comment-id', result?.id ?? '')
        setOutput('comment-url', result?.url ?? '')
      } catch (error) {
        // said once, in the step's failure below
        commentError = describeGitHubError(error, 'Writing the ❌ plan comment')
      }
      throw new ConfigurationError(
        `${what.split('\n')[0]}${commentError ? ` (and ${commentError})` : ''}${scanning.error ? ` (and ${scanning.error})` : ''}`,
      )
    }

    // everything that needs the raw plan happens in digestPlan; the raw plan and text are released after it
    const artifactDir = artifactWanted(config, logger) ? join(dir, 'artifact') : undefined
    const { model, prepared, secrets, files, hasText } = digestPlan(loaded, artifactDir)
    // eslint-disable-next-line no-useless-assignment -- drops the last reference so the raw plan can be collected
    loaded = undefined
    setCountOutputs(model)

    const insights: Insights = {}
    if (inputs.infracost) insights.cost = costInsight(inputs.infracost.diff)
    if (inputs.sarif.length > 0) insights.security = securityInsight(inputs.sarif.map((f) => f.log))
    if (inputs.policy) {
      const pullRequest = pullRequestRef(context, pr)
      insights.preview = await gatePreview(inputs.policy, {
        environment: config.environment,
        sha: context.sha,
        workingDirectory: config.directoryLabel,
        model,
        sarif: inputs.sarif,
        ...(inputs.infracost ? { infracost: inputs.infracost } : {}),
        ...(pullRequest ? { pullRequest } : {}),
      })
      setOutput('gate-preview', insights.preview.refusing.length > 0 ? 'refuse' : 'allow')
    } else setOutput('gate-preview', '')
    // scanner messages and the gate's details quote configuration: scrub every secret the plan marks
    if (insights.security)
      insights.security.findings = insights.security.findings.map((f) => ({
        ...f,
        message: scrubText(f.message, secrets),
      }))
    if (insights.preview) {
      for (const r of insights.preview.results) {
        r.message = scrubText(r.message, secrets)
        if (r.details) r.details = r.details.map((d) => scrubText(d, secrets))
      }
    }
    const sha = codeSha(context)
    const fileUrl = (file: string, line: number | undefined): string | undefined =>
      blobUrl(context.serverUrl, context.owner, context.repo, sha, repoPath(file, config), line)
    const nextStep = nextStepLine(config, model, insights.preview)
    const extra = { ...(nextStep ? { nextStep } : {}) }

    // The report and the artifact files: redacted JSON, the text terraform already masked, the binary plan.
    const report = buildReport(model, config.environment, config.directoryLabel, {
      ...(insights.cost ? { cost: insights.cost } : {}),
      ...(insights.security ? { security: insights.security } : {}),
      ...(insights.preview ? { preview: insights.preview } : {}),
      ...(context.runUrl ? { runUrl: context.runUrl } : {}),
    })
    const reportPath = join(dir, 'report.json')
    writeFileSync(reportPath, `${JSON.stringify(report, null, 2)}\n`)
    setOutput('report', reportPath)
    let artifact: UploadedArtifact | undefined
    if (artifactDir !== undefined) {
      const reportCopy = join(artifactDir, 'report.json')
      copyFileSync(reportPath, reportCopy)
      files.splice(1, 0, reportCopy)
      artifact = await uploadArtifact(config, context, artifactDir, files, logger)
    }
    setOutput('artifact-id', artifact ? String(artifact.id) : '')
    setOutput('artifact-url', artifact?.url ?? '')
    if (artifact) {
      links.artifactUrl = artifact.url
      links.artifactName = artifact.name
      links.artifactFile = hasText ? 'plan.txt' : 'plan.redacted.json'
    }

    if (config.summary) {
      const summary = new SummaryBuilder()
      const out = renderSummaryWithStats(
        prepared,
        { ...view, ...extra, links, insights: renderInsights(insights, 'summary', fileUrl) },
        summary.remaining() - 16,
      )
      summary.add(out.text)
      links.summary = { written: await summary.write(), ...out.stats }
    }

    let commentError: string | undefined
    try {
      const blocks = renderInsights(insights, 'comment', fileUrl)
      const body = renderComment(prepared, { ...view, ...extra, links, insights: blocks })
      const minimal = renderComment({ model }, { ...view, ...extra, links, budget: MINIMAL_BUDGET })
      const result = await comment(config, context, client, pr, logger, {
        body,
        minimal,
        hasChanges: model.hasChanges || model.errored,
      })
      setOutput('comment-id', result?.id !== undefined ? String(result.id) : '')
      setOutput('comment-url', result?.url ?? '')
    } catch (error) {
      commentError = describeGitHubError(error, 'Writing the plan comment')
      setOutput('comment-id', '')
      setOutput('comment-url', '')
    }

    if (config.labels && client && pr && !model.errored) {
      try {
        await syncPlanLabels(
          client,
          { owner: context.owner, repo: context.repo, issueNumber: pr.number },
          config.environment,
          planLabelKind(model.counts, model.hasChanges),
          logger,
        )
      } catch (error) {
        logger.warning(describeGitHubError(error, 'Labelling the pull request (needs pull-requests: write)'))
      }
    }

    const line = `${config.environment ? `${config.environment} ` : ''}${config.directoryLabel}: ${prepared.terraformLine ?? (model.hasChanges ? 'changes' : 'no changes')}`
    core.info(line)
    if (model.errored)
      throw new ConfigurationError(
        `${config.binary} reported errors while planning ${config.directoryLabel}; the plan is incomplete.${commentError ? ` ${commentError}` : ''}`,
      )
    if (commentError) throw new Error(commentError)
    if (scanning.error) throw new Error(scanning.error)
  })
}
