import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { EXPECTED, REPO, UNTIL, seedDeliveryHistory, type SeededServer } from '../support/delivery-history.js'
import { tfpipe } from '../support/run-cli.js'

let seeded: SeededServer
let dir: string

beforeAll(async () => {
  seeded = await seedDeliveryHistory()
  dir = mkdtempSync(join(tmpdir(), 'tfpipe-metrics-'))
}, 120_000)
afterAll(() => seeded?.server.close())

const env = (): Record<string, string> => ({ GITHUB_TOKEN: 'test-token', GITHUB_API_URL: seeded.server.url })

/** Headless Chromium (scripts/setup/chromium.sh): the DOM after layout, or a PNG. */
function chromium(args: string[]): { stdout: string; status: number | null; stderr: string } {
  const r = spawnSync(
    'chromium',
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-dev-shm-usage',
      `--user-data-dir=${join(dir, 'profile')}`,
      ...args,
    ],
    {
      encoding: 'utf8',
      timeout: 90_000,
    },
  )
  return { stdout: r.stdout, status: r.status, stderr: r.stderr }
}

describe('tfpipe metrics', () => {
  let stdout = ''
  const html = (): string => join(dir, 'report.html')

  it('prints the table, writes the JSON and the HTML page, in four GitHub requests', async () => {
    seeded.server.resetRequests()
    const r = await tfpipe(
      [
        'metrics',
        '--repo',
        `${REPO.owner}/${REPO.repo}`,
        '--since',
        '30d',
        '--until',
        UNTIL.toISOString(),
        '--environment',
        'dev,sit,prod',
        '--out',
        html(),
        '--json',
        join(dir, 'report.json'),
      ],
      env(),
    )
    expect(r.stderr).toContain('4 GitHub API request(s)')
    expect(r.code).toBe(0)
    expect(seeded.server.requests).toHaveLength(4)
    stdout = r.stdout
    expect(stdout).toContain('### Delivery metrics of acme/infra')
    expect(stdout).toContain(
      '| `prod` | 6 | 66.7 % (4/6) | 9m 00s | 20m 00s | 1 (16.7 %) | 34m 30s (2) | 24h 08m | 24h 35m |',
    )
    expect(stdout).toContain('| `sit` | 4 | 75 % (3/4) | 25m 00s | 40m 00s | 1 (25 %) | — | 6d 12h | 8d 22h |')
    expect(stdout).toContain('`sit`: failing since 2026-11-28T08:40:00.000Z')
    expect(stdout).toContain('```mermaid\nxychart-beta\n  title "Deployments"\n  x-axis [dev, sit, prod]')
    expect(stdout).toContain('bar [12, 4, 6]')

    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as {
      requests: number
      environments: {
        environment: string
        deployments: number
        mttrSeconds: number | null
        leadTime: { medianSeconds: number }
      }[]
    }
    expect(report.requests).toBe(4)
    expect(
      report.environments.map((e) => [e.environment, e.deployments, e.mttrSeconds, e.leadTime.medianSeconds]),
    ).toEqual([
      ['dev', EXPECTED.dev.deployments, EXPECTED.dev.mttr, EXPECTED.dev.leadMedian],
      ['sit', EXPECTED.sit.deployments, EXPECTED.sit.mttr, EXPECTED.sit.leadMedian],
      ['prod', EXPECTED.prod.deployments, EXPECTED.prod.mttr, EXPECTED.prod.leadMedian],
    ])
  })

  it('writes a self-contained page whose charts Chromium renders', () => {
    const page = readFileSync(html(), 'utf8')
    // Nothing from elsewhere: no script, no external stylesheet, font or image, and a CSP that forbids them.
    expect(page).not.toMatch(/<script|<link|@import|url\(|src=/i)
    expect(page).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`)
    const dom = chromium(['--dump-dom', `file://${html()}`])
    expect(dom.status).toBe(0)
    // Four charts over the environments and one per-day chart per environment.
    const svgs = dom.stdout.match(/<svg[^>]*class="chart"/g) ?? []
    expect(svgs).toHaveLength(4 + 3)
    // prod's stacked bars: 4 succeeded and 2 failed, drawn as two rects with those numbers in their titles.
    expect(dom.stdout).toContain('<title>prod — succeeded: 4</title>')
    expect(dom.stdout).toContain('<title>prod — failed: 2</title>')
    expect(dom.stdout).toMatch(/<td>prod<\/td><td>6<\/td><td>66\.7 % \(4\/6\)<\/td>/)
    const png = join(dir, 'report.png')
    const shot = chromium([`--screenshot=${png}`, '--window-size=1280,1400', '--hide-scrollbars', `file://${html()}`])
    expect(shot.status).toBe(0)
    expect(statSync(png).size).toBeGreaterThan(20_000)
  })

  it('refuses bad input with one line', async () => {
    const bad = await tfpipe(['metrics', '--repo', 'acme/infra', '--since', 'last month'], env())
    expect(bad.code).toBe(2)
    expect(bad.stderr.trim()).toBe(
      "tfpipe metrics: --since must be a duration such as 30d, 12h or 2w, or a date such as 2026-11-01; got 'last month'.",
    )
    const noRepo = await tfpipe(['metrics'], { GITHUB_TOKEN: 'x' })
    expect(noRepo.stderr.trim()).toBe('tfpipe metrics: --repo owner/repo is required (or set GITHUB_REPOSITORY).')
    const badEnv = await tfpipe(['metrics', '--repo', 'acme/infra', '--environment', 'prod eu'], env())
    expect(badEnv.code).toBe(2)
    expect(badEnv.stderr).toContain("Environment 'prod eu' cannot be part of a git tag name")
  })
})
