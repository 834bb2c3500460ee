import { mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { GitHubClient } from '@tfpipe/github/client.js'
import { describeGitHubError } from '@tfpipe/github/errors.js'
import { readDeliveryHistory } from '@tfpipe/github/delivery-history.js'
import { assertRefSafeEnvironment } from '@tfpipe/github/deploy-tags.js'
import { ConfigurationError } from '@tfpipe/kit/errors.js'
import { parseList } from '@tfpipe/kit/inputs.js'
import type { Logger } from '@tfpipe/kit/logger.js'
import { setOutput } from '@tfpipe/kit/runner.js'
import type { SummaryBuilder } from '@tfpipe/kit/summary.js'
import { computeMetrics } from '@tfpipe/metrics/compute.js'
import { renderReport } from '@tfpipe/metrics/report.js'
import { parseSince } from '@tfpipe/metrics/window.js'
import type { TagDeployConfig } from './config.js'

/**
 * mode: metrics — the delivery metrics of the environments (comma/newline list in `environment`):
 * job summary (table + mermaid charts), a JSON file and a self-contained HTML page in
 * $RUNNER_TEMP/tfpipe-metrics, their paths as outputs (terraform-metrics.yml uploads them).
 */
export async function runMetrics(
  config: TagDeployConfig,
  client: GitHubClient,
  repo: { owner: string; repo: string },
  summary: SummaryBuilder,
  logger: Logger,
): Promise<void> {
  const environments = parseList(config.environment)
  if (environments.length === 0)
    throw new ConfigurationError(
      "Input 'environment' is required: in metrics mode one or more environments, e.g. dev,sit,prod.",
    )
  for (const e of environments) assertRefSafeEnvironment(e)
  const until = new Date()
  const since = parseSince(config.since, until, "Input 'since'")
  let result
  try {
    result = await readDeliveryHistory(client, repo, {
      environments,
      since,
      until,
      tagFormat: config.tagFormat,
      logger,
    })
  } catch (error) {
    throw new Error(describeGitHubError(error, `read the deployments of ${environments.join(', ')}`), { cause: error })
  }
  const report = { ...computeMetrics(result.history, until), requests: result.requests }
  const rendered = renderReport(report)
  const dir = join(process.env.RUNNER_TEMP || tmpdir(), 'tfpipe-metrics')
  mkdirSync(dir, { recursive: true })
  const json = join(dir, 'delivery-metrics.json')
  const html = join(dir, 'delivery-metrics.html')
  writeFileSync(json, rendered.json)
  writeFileSync(html, rendered.html)
  setOutput('metrics-json', json)
  setOutput('metrics-html', html)
  // The numbers without the per-day series, small enough for a job output.
  setOutput(
    'metrics',
    report.environments.map(({ daily: _, ...e }) => e),
  )
  if (!summary.add(rendered.markdown))
    summary.add('Delivery metrics: the table is too large for the job summary; see the delivery-metrics artifact.\n')
  void summary.write()
  logger.info(
    `Delivery metrics of ${environments.join(', ')} since ${since.toISOString()}: ${result.requests} GitHub API request(s).`,
  )
}
