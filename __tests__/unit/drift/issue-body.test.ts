import { describe, expect, test } from '@jest/globals'
import {
  formatState,
  issueMarker,
  newState,
  parseIssueMarker,
  parseState,
  renderChangedComment,
  renderIssueBody,
  renderResolvedBody,
} from '@tfpipe/drift/issue-body.js'
import type { StackResult } from '@tfpipe/drift/types.js'

const ctx = {
  environment: 'prod eu',
  mode: 'full',
  checkedAt: '2026-11-22T06:00:00Z',
  runUrl: 'https://gh.test/acme/infra/actions/runs/9',
}
const result = (drift: string[], pending: string[] = []): StackResult => ({
  dir: 'live/prod app',
  status: 'drifted',
  drift: drift.map((address) => ({ address, kind: 'update', attributes: ['tags', 'content'] })),
  pending: pending.map((address) => ({ address, kind: 'replace', attributes: [] })),
  exitCode: 2,
  durationMs: 0,
  initialised: false,
})

describe('drift issue markers and body', () => {
  test('the identity marker URI-encodes env and dir and round-trips', () => {
    const m = issueMarker('prod eu', 'live/prod app')
    expect(m).toBe('<!-- tfpipe:drift-check env=prod%20eu dir=live%2Fprod%20app -->')
    expect(parseIssueMarker(`${m}\nbody`)).toEqual({ environment: 'prod eu', dir: 'live/prod app' })
    expect(parseIssueMarker('<!-- tfpipe:plan-and-comment env=x dir=y fingerprint=z -->')).toBeUndefined()
    // a dir that tries to close the comment early cannot break out of it
    expect(issueMarker('', 'a-->b')).toBe('<!-- tfpipe:drift-check env= dir=a--%3Eb -->')
  })

  test('the state marker round-trips any address (base64url, no "-->" possible)', () => {
    const state = newState(result(['aws_s3_bucket.logs["a-->b"]']), '2026-11-01T00:00:00Z')
    const text = formatState(state)
    expect(text).toMatch(/^<!-- tfpipe:drift-state [A-Za-z0-9_-]+ -->$/)
    expect(parseState(`x\n${text}\ny`)).toEqual(state)
    expect(parseState('<!-- tfpipe:drift-state !!! -->')).toBeUndefined()
    expect(parseState('no marker')).toBeUndefined()
  })

  test('the set hash changes with the set, not with attribute details', () => {
    const a = newState(result(['x.a', 'x.b']), 's')
    const b = newState(
      { ...result(['x.b', 'x.a']), drift: result(['x.b', 'x.a']).drift.map((d) => ({ ...d, attributes: [] })) },
      's',
    )
    expect(a.set).toBe(b.set)
    expect(newState(result(['x.a']), 's').set).not.toBe(a.set)
    expect(newState(result([], ['x.a']), 's').set).not.toBe(newState(result(['x.a']), 's').set)
  })

  test('body: markers first, since, last checked with run link, both tables; markdown in addresses is inert', () => {
    const body = renderIssueBody(
      result(['aws_iam_role.ci', 'x.y[`@admins`]'], ['aws_instance.web']),
      newState(result(['aws_iam_role.ci']), '2026-11-20T06:00:00Z'),
      ctx,
    )
    const lines = body.split('\n')
    expect(lines[0]).toBe(issueMarker('prod eu', 'live/prod app'))
    expect(lines[1]).toMatch(/^<!-- tfpipe:drift-state /)
    expect(body).toContain('- **Drifting since:** 2026-11-20T06:00:00Z')
    expect(body).toContain(
      '- **Last checked:** 2026-11-22T06:00:00Z ([run](https://gh.test/acme/infra/actions/runs/9))',
    )
    expect(body).toContain('### Changed outside Terraform (2)')
    expect(body).toContain('| `aws_iam_role.ci` | modified outside Terraform | `tags`, `content` |')
    expect(body).toContain('| ``x.y[`@admins`]`` |')
    expect(body).toContain('### Would change on apply (1)')
    expect(body).toContain('| `aws_instance.web` | replace | — |')
  })

  test('a huge drift set stays under the 65,536-character body limit', () => {
    const many = Array.from(
      { length: 5000 },
      (_, i) => `module.m${i}.aws_security_group_rule.very_long_resource_name_${i}`,
    )
    const body = renderIssueBody(result(many, many), newState(result(many, many), 's'), ctx)
    expect(body.length).toBeLessThan(65_536)
    expect(body).toMatch(/_…and \d+ more \(see the run\)\._/)
    // the state keeps only a hash when the set is too large to list
    const state = parseState(body)!
    expect(state.items).toBeUndefined()
    expect(state.set).toHaveLength(32)
  })

  test('changed comment lists what appeared and what went away', () => {
    const prev = newState(result(['a.one', 'a.two']), 's')
    const text = renderChangedComment(prev, result(['a.two', 'a.three'], ['a.one']), ctx)
    expect(text).toContain('New (2):')
    expect(text).toContain('- `a.three` (changed outside Terraform)')
    expect(text).toContain('- `a.one` (would change on apply)')
    expect(text).toContain('No longer drifting (1):')
    expect(text).toContain('- `a.one` (changed outside Terraform)')
  })

  test('resolved body keeps the identity marker and the since', () => {
    const open = renderIssueBody(result(['a.b']), newState(result(['a.b']), '2026-11-01T00:00:00Z'), ctx)
    const closed = renderResolvedBody(open, 'live/prod app', ctx)
    expect(parseIssueMarker(closed)).toEqual({ environment: 'prod eu', dir: 'live/prod app' })
    expect(closed).toContain('- **Drift was seen since:** 2026-11-01T00:00:00Z')
    expect(closed).toContain(': resolved')
  })
})
