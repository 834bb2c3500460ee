import { describe, expect, test } from '@jest/globals'
import { renderSummary } from '@tfpipe/drift/summary.js'
import type { StackResult, StaleLock } from '@tfpipe/drift/types.js'

const results: StackResult[] = [
  {
    dir: 'live/app',
    status: 'drifted',
    drift: [{ address: 'aws_s3_bucket.logs', kind: 'update', attributes: ['tags'] }],
    pending: [{ address: 'aws_instance.web', kind: 'replace', attributes: [] }],
    exitCode: 2,
    durationMs: 10,
    initialised: false,
  },
  {
    dir: 'live/db',
    status: 'error',
    drift: [],
    pending: [],
    exitCode: 1,
    error: 'terraform plan failed (exit 1)\nError: <b>bad</b> ```',
    durationMs: 5,
    initialised: false,
  },
  { dir: 'live/net', status: 'clean', drift: [], pending: [], exitCode: 0, durationMs: 5, initialised: true },
]
const locks: StaleLock[] = [
  {
    dir: 'live/db',
    source: 'dynamodb',
    path: 'locks:b/k',
    id: 'abc',
    who: '@octocat',
    operation: 'OperationTypeApply',
    created: '2026-11-22T01:00:00Z',
    ageMs: 5 * 3_600_000,
  },
]

describe('renderSummary', () => {
  const md = renderSummary(
    results,
    [
      { dir: 'live/app', action: 'opened', number: 7, url: 'https://gh.test/acme/infra/issues/7' },
      { dir: 'live/db', action: 'skipped' },
      { dir: 'live/net', action: 'failed', error: '403 Resource not accessible by integration' },
    ],
    locks,
    { environment: 'prod', mode: 'full' },
  )

  test('one row per stack with status icon, counts and issue link', () => {
    expect(md).toContain('## Drift check: prod')
    expect(md).toContain('3 stack(s), mode full: 1 drifted, 1 failed, 1 clean.')
    expect(md).toContain('| `live/app` | ⚠️ drifted | 1 | 1 | [#7](https://gh.test/acme/infra/issues/7) opened |')
    expect(md).toContain('| `live/db` | ❌ error | — | — | — |')
    expect(md).toContain('| `live/net` | ✅ clean | 0 | 0 | not updated: 403 Resource not accessible by integration |')
  })

  test('errors in a fenced block that terraform output cannot close; HTML stays text', () => {
    expect(md).toContain('<details><summary>live/db</summary>')
    expect(md).toContain('````\nterraform plan failed (exit 1)\nError: <b>bad</b> ```\n````')
  })

  test('drifted resources and stale locks are listed; mentions cannot ping', () => {
    expect(md).toContain('- `aws_s3_bucket.logs` modified outside Terraform (`tags`)')
    expect(md).toContain('- `aws_instance.web` would replace')
    expect(md).toContain(
      '| `live/db` | dynamodb `locks:b/k` | `@octocat` | OperationTypeApply | 2026-11-22T01:00:00Z | 5h |',
    )
  })
})
