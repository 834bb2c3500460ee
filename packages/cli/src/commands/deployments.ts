import { consoleLogger } from '@tfpipe/kit/logger.js'
import { parseInteger } from '@tfpipe/kit/inputs.js'
import { ConfigurationError } from '@tfpipe/kit/errors.js'
import { createGitHubClient } from '@tfpipe/github/client.js'
import { assertRefSafeEnvironment, DEFAULT_TAG_FORMAT, listDeployTags } from '@tfpipe/github/deploy-tags.js'
import { defineCommand } from '../args.js'
import { CliError } from '../errors.js'

export const command = defineCommand({
  name: 'deployments',
  summary: 'list the last deploy tags of an environment (what tag-deploy recorded), newest first',
  flags: [
    { name: 'env', value: 'ENV', description: 'environment', required: true },
    { name: 'repo', value: 'OWNER/REPO', description: 'repository (default $GITHUB_REPOSITORY)' },
    { name: 'api-url', value: 'URL', description: 'GitHub API (default $GITHUB_API_URL or https://api.github.com)' },
    {
      name: 'token-env',
      value: 'NAME',
      description: 'environment variable holding the GitHub token',
      default: 'GITHUB_TOKEN',
    },
    { name: 'limit', value: 'N', description: 'how many tags (1-100)', default: '10' },
    { name: 'tag-format', value: 'FORMAT', description: 'deploy tag names', default: DEFAULT_TAG_FORMAT },
    { name: 'json', description: 'print JSON instead of a table' },
  ],
  async run(flags) {
    const environment = flags.string('env')!
    assertRefSafeEnvironment(environment)
    const repoFlag = flags.string('repo') ?? process.env.GITHUB_REPOSITORY ?? ''
    const [owner, repo] = repoFlag.split('/')
    if (!owner || !repo) throw new CliError('--repo owner/repo is required (or set GITHUB_REPOSITORY).')
    const tokenEnv = flags.string('token-env')!
    const token = process.env[tokenEnv]
    if (!token)
      throw new ConfigurationError(
        `No token: set the environment variable ${tokenEnv} (or name another with --token-env).`,
      )
    const limit = parseInteger('--limit', flags.string('limit')!, { min: 1, max: 100 })
    const apiUrl = flags.string('api-url') ?? process.env.GITHUB_API_URL ?? 'https://api.github.com'
    const serverUrl =
      process.env.GITHUB_SERVER_URL ??
      (apiUrl === 'https://api.github.com' ? 'https://github.com' : apiUrl.replace(/\/api\/v3\/?$/, ''))
    const client = createGitHubClient({
      token,
      baseUrl: apiUrl,
      logger: consoleLogger(Boolean(process.env.TFPIPE_DEBUG)),
    })
    const tags = await listDeployTags(client, { owner, repo }, environment, {
      format: flags.string('tag-format')!,
      limit,
      serverUrl,
    })
    if (flags.bool('json')) {
      console.log(
        JSON.stringify(
          tags.map((t) => ({ tag: t.name, url: t.url, ...t.metadata })),
          null,
          2,
        ),
      )
      return 0
    }
    if (tags.length === 0) {
      console.log(`No deploy tags for ${environment} in ${owner}/${repo}.`)
      return 0
    }
    const rows = [['TAG', 'STATUS', 'COMMIT', 'CHANGES', 'FINISHED', 'BY', 'STATE SERIAL']]
    for (const t of tags) {
      const m = t.metadata
      const c = m?.counts
      rows.push([
        t.name,
        m?.status ?? '',
        (m?.sha ?? t.commitSha).slice(0, 12),
        c ? `+${c.add} ~${c.change} -${c.destroy}` : '',
        m?.finishedAt ?? '',
        m?.actor ?? '',
        m?.state ? String(m.state.serial) : '',
      ])
    }
    const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? []
    console.log(
      rows
        .map((r) =>
          r
            .map((cell, i) => cell.padEnd(widths[i] ?? 0))
            .join('  ')
            .trimEnd(),
        )
        .join('\n'),
    )
    return 0
  },
})
