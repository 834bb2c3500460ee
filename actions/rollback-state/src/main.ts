import { writeFileSync } from 'node:fs'
import { ConfigurationError } from '@tfpipe/kit/errors.js'
import { readRunContext } from '@tfpipe/kit/context.js'
import { coreLogger, runAction, setOutput } from '@tfpipe/kit/runner.js'
import { SummaryBuilder } from '@tfpipe/kit/summary.js'
import { createGitHubClient } from '@tfpipe/github/client.js'
import { describeGitHubError } from '@tfpipe/github/errors.js'
import { getDeployTag } from '@tfpipe/github/deploy-tags.js'
import {
  backendConfigFromSettings,
  describeBackend,
  readBackendConfig,
  type BackendConfig,
} from '@tfpipe/state/backend-config.js'
import { createStateClients } from '@tfpipe/state/clients.js'
import { rollbackState } from '@tfpipe/state/rollback.js'
import { RollbackError, type RollbackTarget } from '@tfpipe/state/rollback-model.js'
import { readConfig, type RollbackActionConfig } from './config.js'
import { previewLines, renderSummary } from './summary.js'

/** The S3 version id a deploy tag recorded; checks it belongs to this state. */
async function versionFromTag(config: RollbackActionConfig, backend: BackendConfig, tagName: string): Promise<string> {
  const context = readRunContext()
  if (!config.githubToken)
    throw new ConfigurationError("'deployment-tag' needs 'github-token' (contents: read) to read the tag.")
  const client = createGitHubClient({ token: config.githubToken, baseUrl: context.apiUrl, logger: coreLogger })
  let tag
  try {
    tag = await getDeployTag(client, { owner: context.owner, repo: context.repo }, tagName, {
      serverUrl: context.serverUrl,
    })
  } catch (error) {
    throw new Error(describeGitHubError(error, `reading tag ${tagName}`), { cause: error })
  }
  if (!tag) throw new ConfigurationError(`Deploy tag '${tagName}' does not exist in ${context.owner}/${context.repo}.`)
  const state = tag.metadata?.state
  if (!tag.metadata)
    throw new ConfigurationError(`Tag '${tagName}' is not a tag-deploy tag (no TFPIPE METADATA block).`)
  if (!state)
    throw new ConfigurationError(`Deploy tag '${tagName}' recorded no state version; give 'version-id' instead.`)
  if (config.environment && tag.metadata.environment !== config.environment) {
    throw new ConfigurationError(
      `Deploy tag '${tagName}' is for environment '${tag.metadata.environment}', not '${config.environment}'.`,
    )
  }
  if (state.bucket !== backend.bucket || (state.key !== backend.statePath && state.key !== backend.key)) {
    throw new ConfigurationError(
      `Deploy tag '${tagName}' recorded s3://${state.bucket}/${state.key}, but this backend is s3://${backend.bucket}/${backend.statePath}.`,
    )
  }
  coreLogger.info(
    `deploy tag ${tagName}: state version ${state.versionId} (serial ${state.serial}) deployed ${tag.metadata.sha.slice(0, 12)}`,
  )
  return state.versionId
}

export async function run(): Promise<void> {
  await runAction('rollback-state', async () => {
    const config = readConfig()
    const backend = config.workingDirectory
      ? readBackendConfig(config.workingDirectory, {
          ...(process.env.TF_WORKSPACE ? { workspace: process.env.TF_WORKSPACE } : {}),
          ...(process.env.TF_DATA_DIR ? { dataDir: process.env.TF_DATA_DIR } : {}),
          overrides: config.backend,
        })
      : backendConfigFromSettings(config.backend)
    coreLogger.info(`backend: ${describeBackend(backend)}`)

    let target: RollbackTarget
    let source: string
    if (config.target.kind === 'version-id') {
      target = { versionId: config.target.versionId }
      source = `version id ${config.target.versionId}`
    } else if (config.target.kind === 'deployment-tag') {
      target = { versionId: await versionFromTag(config, backend, config.target.tag) }
      source = `deploy tag ${config.target.tag}`
    } else {
      target = { stepsBack: config.target.stepsBack }
      source = `${config.target.stepsBack} version(s) back`
    }

    const context = readRunContext()
    const clients = createStateClients(backend)
    try {
      const result = await rollbackState({
        config: backend,
        clients,
        target,
        dryRun: config.dryRun,
        allowLineageChange: config.allowLineageChange,
        lockTimeoutMs: config.lockTimeoutMs,
        who: `${context.actor || 'github-actions'} (tfpipe rollback-state${context.runUrl ? ` ${context.runUrl}` : ''})`,
        reason: config.reason,
        logger: coreLogger,
      })
      for (const line of previewLines(result.preview)) coreLogger.info(line)
      if (config.previewStateFile) {
        writeFileSync(config.previewStateFile, result.restoredBytes, { mode: 0o600 })
        coreLogger.info(
          `the state as restored (serial ${result.preview.newSerial}) is in ${config.previewStateFile}: plan against it to preview the rollback.`,
        )
      }
      coreLogger.info(
        result.dryRun
          ? 'dry run: nothing was written (set dry-run: false and the confirmation to restore).'
          : `restored version ${result.restoredVersionId} as version ${result.newVersionId}; undo by restoring version ${result.previousVersionId}.`,
      )
      setOutput('restored-version-id', result.restoredVersionId)
      setOutput('previous-version-id', result.previousVersionId)
      setOutput('new-version-id', result.newVersionId ?? '')
      setOutput('serial', String(result.preview.newSerial))
      setOutput('lineage', result.preview.lineage)
      const { added, removed, changed } = result.preview.diff
      setOutput('diff', { added, removed, changed })
      const summary = new SummaryBuilder()
      if (!summary.add(renderSummary(result, { environment: config.environment, reason: config.reason, source })))
        summary.add(`## rollback-state\n\nThe preview is too large for the job summary; see the log.\n`)
      await summary.write()
    } catch (error) {
      if (error instanceof RollbackError) {
        const summary = new SummaryBuilder()
        summary.add(`## Rollback failed — ${config.environment || backend.workspace}\n\n${error.message}\n`)
        await summary.write()
      }
      throw error
    } finally {
      clients.destroy()
    }
  })
}
