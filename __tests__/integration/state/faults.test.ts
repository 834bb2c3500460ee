import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { startMoto, type MotoServer } from '../../support/moto.js'
import { readBackendConfig, type BackendConfig } from '@tfpipe/state/backend-config.js'
import { createStateClients, type StateClients } from '@tfpipe/state/clients.js'
import { getDigest } from '@tfpipe/state/digest.js'
import { forceUnlock, listLocks } from '@tfpipe/state/locks.js'
import { rollbackState } from '@tfpipe/state/rollback.js'
import { ROLLBACK_STEPS, RollbackError, SimulatedCrash, type RollbackStep } from '@tfpipe/state/rollback-model.js'
import { md5Hex, parseState } from '@tfpipe/state/state-file.js'
import { getStateObject } from '@tfpipe/state/versions.js'
import { stateFixture, type StateFixture } from '../../support/state-fixture.js'

let moto: MotoServer
let fx: StateFixture
let config: BackendConfig
let clients: StateClients

beforeAll(async () => {
  moto = await startMoto()
  fx = await stateFixture(moto, { lockfile: true, dynamodb: true })
  await fx.apply(1)
  await fx.apply(2)
  config = readBackendConfig(fx.dir)
  clients = createStateClients(config)
}, 120_000)

afterAll(async () => {
  clients?.destroy()
  await moto?.close()
})

const WRITTEN_FROM: RollbackStep[] = ['write-digest', 'verify', 'unlock']

function expectedLeftover(step: RollbackStep, mode: 'crash' | 'error'): string[] {
  if (mode === 'error') return []
  if (step === 'lock-lockfile') return []
  if (step === 'lock-dynamodb') return ['lockfile']
  return ['lockfile', 'dynamodb']
}

describe('a rollback that dies at any step leaves a state terraform can read', () => {
  for (const mode of ['crash', 'error'] as const) {
    for (const step of ROLLBACK_STEPS) {
      test(`${mode} before '${step}'`, async () => {
        const before = await getStateObject(config, clients)
        const error = await rollbackState({
          config,
          clients,
          target: { stepsBack: 1 },
          dryRun: false,
          faultAt: (s) => {
            if (s !== step) return
            if (mode === 'crash') throw new SimulatedCrash(s)
            throw new Error(`injected failure at ${s}`)
          },
        }).catch((e: unknown) => e)
        expect(error).toBeInstanceOf(RollbackError)
        const failure = error as RollbackError
        expect(failure.step).toBe(step)
        expect(failure.stateWritten).toBe(WRITTEN_FROM.includes(step))

        // Exactly the reported locks are left, with the rollback's lock ID.
        const held = await listLocks(config, clients)
        expect(held.map((l) => l.kind).sort()).toEqual(expectedLeftover(step, mode).sort())
        expect(failure.leftoverLocks.map((l) => l.kind).sort()).toEqual(expectedLeftover(step, mode).sort())
        for (const lock of held) {
          expect(lock.id).toBe(failure.leftoverLocks[0]?.id)
          expect(failure.message).toContain(`lock ID ${lock.id}`)
        }

        // The digest is absent or matches the bytes: terraform never sees a mismatch.
        const now = await getStateObject(config, clients)
        const digest = await getDigest(config, clients)
        if (digest !== undefined) expect(digest).toBe(md5Hex(now?.bytes ?? Buffer.alloc(0)))
        if (!failure.stateWritten) expect(now?.versionId).toBe(before?.versionId)
        else expect(parseState(now?.bytes ?? '').serial).toBe(parseState(before?.bytes ?? '').serial + 1)

        // terraform reads the state (ignoring the lock a crash left), without a digest error.
        const read = await fx.tf(['plan', '-input=false', '-no-color', '-lock=false', '-var=revision=2'])
        expect(read.stderr).toBe('')
        expect(read.code).toBe(0)

        // The reported lock ID releases what was left: terraform force-unlock when both locks are
        // left, the package's forceUnlock (tfpipe state unlock) when only one is.
        if (held.length === 2) {
          expect(failure.message).toContain(`terraform force-unlock ${held[0]?.id}`)
          const unlock = await fx.tf(['force-unlock', '-force', '-no-color', held[0]?.id ?? ''])
          expect(unlock.code).toBe(0)
        } else if (held.length === 1) {
          expect(failure.message).toContain(`tfpipe state unlock --lock-id ${held[0]?.id}`)
          expect(await forceUnlock(config, clients, held[0]?.id ?? '')).toEqual([held[0]?.kind])
        }
        expect(await listLocks(config, clients)).toEqual([])
        const locked = await fx.tf(['plan', '-input=false', '-no-color', '-lock-timeout=0s', '-var=revision=2'])
        expect(locked.code).toBe(0)
      }, 90_000)
    }
  }
})
