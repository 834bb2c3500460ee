import { readRunContext } from '@tfpipe/kit/context.js'
import { coreLogger, runAction, setOutput } from '@tfpipe/kit/runner.js'
import { SummaryBuilder } from '@tfpipe/kit/summary.js'
import { ConfigurationError, errorMessage } from '@tfpipe/kit/errors.js'
import { createGitHubClient } from '@tfpipe/github/client.js'
import { describeGitHubError } from '@tfpipe/github/errors.js'
import {
  assertRefSafeEnvironment,
  createDeployTag,
  finalStatus,
  listDeployTags,
  type DeployMetadata,
} from '@tfpipe/github/deploy-tags.js'
import { recordDeployment } from '@tfpipe/github/deployments.js'
import { deploymentsTable, summarizeTag } from './render.js'
import { readConfig } from './config.js'
import { planFacts, stateRef } from './record.js'
import { runMetrics } from './metrics.js'

export async function run(): Promise<void> {
  await runAction('tag-deploy', async () => {
    const startedAt = new Date()
    const context = readRunContext()
    const config = readConfig(context.sha)
    const logger = coreLogger
    if (!config.token)
      throw new ConfigurationError(
        "Input 'github-token' is empty; pass a token with contents: write and deployments: write.",
      )
    const client = createGitHubClient({ token: config.token, baseUrl: context.apiUrl, logger })
    const repo = { owner: context.owner, repo: context.repo }
    const summary = new SummaryBuilder()
    if (config.mode === 'metrics') return runMetrics(config, client, repo, summary, logger)
    assertRefSafeEnvironment(config.environment)

    if (config.mode === 'list') {
      let tags
      try {
        tags = await listDeployTags(client, repo, config.environment, {
          format: config.tagFormat,
          limit: config.limit,
          serverUrl: context.serverUrl,
        })
      } catch (error) {
        throw new Error(describeGitHubError(error, `list the deploy tags of ${config.environment}`), { cause: error })
      }
      const list = tags.map((t) => ({ tag: t.name, url: t.url, ...t.metadata }))
      setOutput('deployments', list)
      setOutput('tag', tags[0]?.name ?? '')
      setOutput('tag-url', tags[0]?.url ?? '')
      setOutput('previous-tag', tags.find((t) => t.metadata?.status === 'success')?.name ?? '')
      summary.add(deploymentsTable(config.environment, tags))
      await summary.write()
      logger.info(`${tags.length} deploy tag(s) of ${config.environment}.`)
      return
    }

    if (!/^[0-9a-f]{40}$/.test(config.sha))
      throw new ConfigurationError(`Input 'sha' must be a full 40-character commit sha; got '${config.sha}'.`)
    const facts = planFacts(config.report, config.planJson)
    // The deploy has happened: a state read that fails must not cost us the tag. Record null, loudly.
    let state: Awaited<ReturnType<typeof stateRef>> = null
    try {
      state = await stateRef(config.workingDirectory, logger)
    } catch (error) {
      logger.warning(
        `Could not read the S3 state version of '${config.workingDirectory}' (${errorMessage(error)}); the deploy tag records state: null.`,
      )
    }
    const status = finalStatus(config.status, config.verification)
    const metadata: DeployMetadata = {
      schema: 1,
      environment: config.environment,
      sha: config.sha,
      status,
      repository: `${context.owner}/${context.repo}`,
      runUrl: context.runUrl,
      actor: context.actor,
      workingDirectory: config.workingDirectory || '.',
      fingerprint: facts.fingerprint,
      counts: facts.counts,
      state,
      startedAt: await runStartedAt(client, repo, context.runId, startedAt),
      finishedAt: new Date().toISOString(),
      operation: config.operation,
      ...(config.verification !== 'none' ? { verification: { result: config.verification } } : {}),
    }
    let result
    try {
      result = await createDeployTag(client, repo, metadata, {
        format: config.tagFormat,
        runId: context.runId,
        serverUrl: context.serverUrl,
        logger,
      })
    } catch (error) {
      if (error instanceof ConfigurationError) throw error
      throw new Error(describeGitHubError(error, `create the deploy tag for ${config.environment}`), { cause: error })
    }
    setOutput('tag', result.tag.name)
    setOutput('tag-url', result.tag.url)
    setOutput('previous-tag', result.previous?.name ?? '')
    setOutput('previous-sha', result.previous?.commitSha ?? '')
    setOutput('status', status)
    logger.info(`${result.created ? 'Created' : 'Found'} deploy tag ${result.tag.name} at ${config.sha}.`)

    let deploymentId = ''
    if (config.deployment) {
      try {
        const d = await recordDeployment(
          client,
          repo,
          {
            sha: config.sha,
            environment: config.environment,
            state: status,
            runUrl: context.runUrl,
            workingDirectory: config.workingDirectory || '.',
            operation: config.operation,
            verification: config.verification,
            description: `${DESCRIPTIONS[config.verification === 'none' ? config.status : config.verification]}: ${result.tag.name}`,
            ...(config.environmentUrl ? { environmentUrl: config.environmentUrl } : {}),
          },
          logger,
        )
        deploymentId = String(d.id)
      } catch (error) {
        throw new Error(
          describeGitHubError(error, `record the GitHub Deployment (tag ${result.tag.name} was created)`),
          { cause: error },
        )
      }
    }
    setOutput('deployment-id', deploymentId)
    setOutput('deployments', '[]')
    summary.add(summarizeTag(result, deploymentId))
    await summary.write()
  })
}

/** The Deployment status line: what happened, then the tag (GitHub keeps 140 characters). */
const DESCRIPTIONS = {
  success: 'Deployed',
  failure: 'Failed',
  passed: 'Deployed and verified',
  failed: 'Verification failed',
  skipped: 'Deployed, verification skipped',
} as const

/** The workflow run's start (GET actions/runs/{id}, needs actions: read); the step's start when unreadable. */
async function runStartedAt(
  client: ReturnType<typeof createGitHubClient>,
  repo: { owner: string; repo: string },
  runId: string,
  fallback: Date,
): Promise<string> {
  if (!runId) return fallback.toISOString()
  try {
    const run = (await client.rest.actions.getWorkflowRun({ ...repo, run_id: Number(runId) })).data
    return run.run_started_at ?? fallback.toISOString()
  } catch {
    return fallback.toISOString()
  }
}
