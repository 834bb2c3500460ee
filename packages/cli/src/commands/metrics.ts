import { writeFileSync } from 'node:fs'
import { ConfigurationError } from '@tfpipe/kit/errors.js'
import { parseList } from '@tfpipe/kit/inputs.js'
import { consoleLogger } from '@tfpipe/kit/logger.js'
import { createGitHubClient } from '@tfpipe/github/client.js'
import { describeGitHubError } from '@tfpipe/github/errors.js'
import { readDeliveryHistory } from '@tfpipe/github/delivery-history.js'
import { assertRefSafeEnvironment, DEFAULT_TAG_FORMAT, validateTagFormat } from '@tfpipe/github/deploy-tags.js'
import { computeMetrics } from '@tfpipe/metrics/compute.js'
import { parseUntil, renderReport } from '@tfpipe/metrics/report.js'
import { parseSince } from '@tfpipe/metrics/window.js'
import { defineCommand } from '../args.js'
import { CliError } from '../errors.js'

export const command = defineCommand({
  name: 'metrics',
  summary: 'delivery metrics per environment (deployments, success rate, duration, rollbacks, MTTR, lead time)',
  flags: [
    { name: 'repo', value: 'OWNER/REPO', description: 'repository (default $GITHUB_REPOSITORY)' },
    {
      name: 'since',
      value: 'WHEN',
      description: 'start of the window: a duration (30d, 12h, 2w) or a date',
      default: '30d',
    },
    { name: 'until', value: 'ISO', description: 'end of the window (default now)' },
    {
      name: 'environment',
      value: 'ENV[,ENV]',
      description: 'environments to read (default every environment of the repository)',
    },
    { name: 'out', value: 'FILE', description: 'write a self-contained HTML page with charts' },
    { name: 'json', value: 'FILE', description: 'write the numbers as JSON' },
    { name: 'tag-format', value: 'FORMAT', description: 'deploy tag names', default: DEFAULT_TAG_FORMAT },
    { name: 'api-url', value: 'URL', description: 'GitHub API (default $GITHUB_API_URL or https://api.github.com)' },
    {
      name: 'token-env',
      value: 'NAME',
      description: 'environment variable holding the GitHub token',
      default: 'GITHUB_TOKEN',
    },
  ],
  notes:
    'Reads the GitHub Deployments, their statuses and the deploy tags of the window and prints a markdown table per\nenvironment; the token needs contents: read and deployments: read.',
  async run(flags) {
    const repoFlag = flags.string('repo') ?? process.env.GITHUB_REPOSITORY ?? ''
    const [owner, repo, extra] = repoFlag.split('/')
    if (!owner || !repo || extra !== undefined)
      throw new CliError('--repo owner/repo is required (or set GITHUB_REPOSITORY).')
    const environments = parseList(flags.string('environment') ?? '')
    for (const e of environments) assertRefSafeEnvironment(e)
    const tagFormat = flags.string('tag-format')!
    validateTagFormat(tagFormat, '--tag-format')
    const until = parseUntil(flags.string('until'), new Date(), '--until')
    const since = parseSince(flags.string('since')!, until, '--since')
    const tokenEnv = flags.string('token-env')!
    const token = process.env[tokenEnv]
    if (!token)
      throw new ConfigurationError(
        `No token: set the environment variable ${tokenEnv} (or name another with --token-env).`,
      )
    const apiUrl = flags.string('api-url') ?? process.env.GITHUB_API_URL ?? 'https://api.github.com'
    const logger = consoleLogger(Boolean(process.env.TFPIPE_DEBUG))
    const client = createGitHubClient({ token, baseUrl: apiUrl, logger })

    let result
    try {
      result = await readDeliveryHistory(client, { owner, repo }, { environments, since, until, tagFormat, logger })
    } catch (error) {
      throw new Error(describeGitHubError(error, `read the deployments of ${owner}/${repo}`), { cause: error })
    }
    const report = { ...computeMetrics(result.history, new Date()), requests: result.requests }
    const rendered = renderReport(report)
    const out = flags.string('out')
    const json = flags.string('json')
    if (out) writeFileSync(out, rendered.html)
    if (json) writeFileSync(json, rendered.json)
    console.log(rendered.markdown.trimEnd())
    logger.info(
      `${result.requests} GitHub API request(s)${out ? `; HTML written to ${out}` : ''}${json ? `; JSON written to ${json}` : ''}.`,
    )
    return 0
  },
})
