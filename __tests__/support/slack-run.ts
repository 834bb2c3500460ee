import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { RunInfo } from '@tfpipe/slack/message.js'

export const fixturesDir = join(import.meta.dirname, '..', 'fixtures', 'details')

export function fixture(name: string): unknown {
  return JSON.parse(readFileSync(join(fixturesDir, `${name}.json`), 'utf8')) as unknown
}

export const run: RunInfo = {
  repository: 'acme/infra',
  serverUrl: 'https://github.com',
  runUrl: 'https://github.com/acme/infra/actions/runs/4242',
  runId: '4242',
  runAttempt: '1',
  workflow: 'terraform',
  actor: 'octocat',
  sha: '0123456789abcdef0123456789abcdef01234567',
}

/** Every mrkdwn / plain text string of a message, for content assertions. */
export function texts(message: { text: string; blocks: unknown[] }, only?: 'mrkdwn' | 'plain_text'): string[] {
  const out: string[] = [message.text]
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk)
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>
      if ((o.type === 'mrkdwn' || o.type === 'plain_text') && typeof o.text === 'string') {
        if (!only || o.type === only) out.push(o.text)
      } else Object.values(o).forEach(walk)
    }
  }
  walk(message.blocks)
  return out
}
