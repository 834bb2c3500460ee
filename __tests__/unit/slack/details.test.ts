import { describe, expect, it } from '@jest/globals'
import { formatDuration } from '@tfpipe/kit/duration.js'
import { normalizeDetails } from '@tfpipe/slack/details.js'
import { parseDetailsInput } from '@tfpipe/slack/notify.js'
import { fixture, fixturesDir } from '../../support/slack-run.js'
import { join } from 'node:path'

describe('normalizeDetails', () => {
  it('reads plan-and-comment outputs (strings, as steps output them)', () => {
    const d = normalizeDetails(fixture('plan-ready'))
    expect(d.counts).toEqual({ add: 3, change: 1, destroy: 0, replace: 2, import: 0, move: 1, forget: 0, drift: 0 })
    expect(d.hasChanges).toBe(true)
    expect(d.fingerprint).toMatch(/^9f2c4e1a/)
    expect(d.commentUrl).toBe('https://github.com/acme/infra/pull/17#issuecomment-1987654321')
    expect(d.prUrl).toBe('https://github.com/acme/infra/pull/17')
  })

  it('reads safety-gate violations and warnings encoded as JSON strings', () => {
    const d = normalizeDetails({
      gate: {
        allowed: 'false',
        violations: JSON.stringify([{ check: 'destroy-limit', message: 'too many', details: { n: 3 } }]),
        warnings: '[]',
      },
    })
    expect(d.violations).toEqual([{ check: 'destroy-limit', message: 'too many' }])
    expect(d.warnings).toEqual([])
  })

  it('reads tag-deploy outputs nested by step, top-level keys winning', () => {
    const d = normalizeDetails({ ...(fixture('deploy-succeeded') as object), actor: 'release-bot' })
    expect(d.tag).toBe('deploy/prod/2026-11-22T18.04.11Z')
    expect(d.tagUrl).toMatch(/^https:\/\/github.com\/acme\/infra\/releases\/tag\//)
    expect(d.deploymentId).toBe('1203340')
    expect(d.previousTag).toBe('deploy/prod/2026-11-20T09.12.45Z')
    expect(d.durationSeconds).toBe(252)
    expect(d.actor).toBe('release-bot')
    expect(normalizeDetails({ tag: 'top', nested: { tag: 'inner' } }).tag).toBe('top')
  })

  it('reads rollback-state outputs with the diff as a JSON string', () => {
    const d = normalizeDetails(fixture('rollback-succeeded'))
    expect(d.restoredVersionId).toBe('3HL4kqtJvjVBH40Nrjfkd')
    expect(d.previousVersionId).toBe('Wq0XH6eRd8yjVYwWOd5gmN')
    expect(d.serial).toBe('58')
    expect(d.diff).toMatchObject({ added: ['aws_s3_bucket.logs'], removedCount: 2, changedCount: 1 })
  })

  it('reads the drift digest (drift-check stacks and stale locks, as the drift workflow passes them)', () => {
    const d = normalizeDetails(fixture('drift-detected'))
    expect(d.driftCount).toBe(3)
    expect(d.pendingCount).toBe(1)
    expect(d.stacks.map((s) => [s.directory, s.status, s.drift, s.pending, s.issueNumber])).toEqual([
      ['prod: stacks/network', 'drifted', 2, 1, 41],
      ['prod: stacks/data', 'drifted', 1, 0, 42],
      ['prod: stacks/dns', 'clean', 0, 0, undefined],
      ['prod: stacks/iam', 'error', 0, 0, undefined],
    ])
    expect(d.stacks[0]?.driftAddresses).toEqual(['aws_security_group.web', 'aws_route_table.private["eu-west-1a"]'])
    expect(d.stacks[0]?.pendingAddresses).toEqual(['aws_vpc_endpoint.s3'])
    expect(d.stacks[3]?.error).toMatch(/no valid credential sources/)
    expect(normalizeDetails(fixture('stale-lock')).staleLocks).toEqual([
      {
        id: '5d8a1f0c-7b2e-4c11-9a3f-0e6d2b1c4a77',
        who: 'runner@fv-az123-456',
        operation: 'OperationTypeApply',
        created: '2026-11-21T03:12:09.51Z',
        path: 'acme-tfstate/prod/network.tfstate',
        age: '1d 15h old',
      },
    ])
  })

  it('reads drift-check outputs straight from the step (JSON strings) and DynamoDB LockInfo keys', () => {
    const d = normalizeDetails({
      drifted: 'true',
      'drift-count': '1',
      'pending-count': '0',
      stacks: JSON.stringify([
        {
          dir: 'stacks/a',
          status: 'drifted',
          driftCount: 1,
          pendingCount: 0,
          drift: ['aws_s3_bucket.a'],
          pending: [],
          issue: 7,
        },
      ]),
      'stale-locks': JSON.stringify([
        {
          LockID: 'b/k',
          Info: JSON.stringify({
            ID: 'abc',
            Operation: 'OperationTypePlan',
            Who: 'me@host',
            Created: '2026-11-21T03:12:09Z',
            Path: 'b/k',
          }),
        },
      ]),
    })
    expect(d.stacks).toEqual([
      expect.objectContaining({ directory: 'stacks/a', drift: 1, driftAddresses: ['aws_s3_bucket.a'], issueNumber: 7 }),
    ])
    expect(d.staleLocks).toEqual([
      expect.objectContaining({ id: 'abc', who: 'me@host', operation: 'OperationTypePlan', path: 'b/k' }),
    ])
  })

  it('keeps the overridden flag of safety-gate warnings', () => {
    const d = normalizeDetails(fixture('gate-overridden'))
    expect(d.warnings.map((w) => [w.check, w.overridden ?? false])).toEqual([
      ['window', true],
      ['plan-age', false],
    ])
  })

  it('is lenient: unknown keys, other spellings, maps keyed by directory, junk', () => {
    const d = normalizeDetails({
      something_else: { deeply: ['ignored'] },
      Counts: { Add: 1, Change: '2', Destroy: 3, Replace: 0 },
      OverrideReason: 'because',
      stacks: { 'stacks/a': { drifted: ['x.y'], pending_count: 4 } },
      violations: ['plain string violation'],
    })
    expect(d.counts).toMatchObject({ add: 1, change: 2, destroy: 3, replace: 0 })
    expect(d.overrideReason).toBe('because')
    expect(d.stacks).toEqual([
      expect.objectContaining({ directory: 'stacks/a', drift: 1, pending: 4, driftAddresses: ['x.y'] }),
    ])
    expect(d.violations).toEqual([{ check: '', message: 'plain string violation' }])
    expect(normalizeDetails('not json')).toMatchObject({ violations: [], stacks: [] })
    expect(normalizeDetails(null).counts).toBeUndefined()
  })

  it('formats durations', () => {
    expect(normalizeDetails({ duration: '1h2m' }).durationSeconds).toBe(3720)
    expect(normalizeDetails({ duration_ms: 4500 }).durationSeconds).toBe(5)
    expect(formatDuration(252_000)).toBe('4m 12s')
    expect(formatDuration(3_720_000)).toBe('1h 2m')
    expect(formatDuration(3_600_000)).toBe('1h')
    expect(formatDuration(90_061_000)).toBe('1d 1h')
    expect(formatDuration(9_000)).toBe('9s')
    expect(formatDuration(250)).toBe('250ms')
  })
})

describe('parseDetailsInput', () => {
  it('takes inline JSON or a path to a JSON file', () => {
    expect(parseDetailsInput('{"tag":"v1"}').tag).toBe('v1')
    expect(parseDetailsInput(join(fixturesDir, 'deploy-succeeded.json')).deploymentId).toBe('1203340')
    expect(parseDetailsInput(undefined).violations).toEqual([])
  })

  it('says what to change when it is neither', () => {
    expect(() => parseDetailsInput('{"tag":')).toThrow(/Input 'details' must be valid JSON/)
    expect(() => parseDetailsInput('/no/such/file.json')).toThrow(/must be JSON or the path of a JSON file/)
  })
})
