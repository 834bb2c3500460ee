/**
 * Golden files: committed expected outputs, compared as text so that a failure shows a line diff of
 * what changed (a hash would only say "different"). Files over 256 KiB are stored gzipped (`.gz`),
 * like the plan fixtures; the comparison is still on the text.
 *
 * Regenerate after an intended change, then review the diff before committing:
 *   UPDATE_GOLDEN=1 node scripts/test.mjs --selectProjects unit -- __tests__/unit/terraform/golden-outputs.test.ts
 */
import { expect } from '@jest/globals'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, relative } from 'node:path'
import { gunzipSync, gzipSync } from 'node:zlib'
import { repoRoot } from './terraform.js'

const MAX_PLAIN = 256 * 1024
export const updatingGolden = process.env.UPDATE_GOLDEN === '1'
export const UPDATE_HINT =
  'If the change is intended, regenerate the golden files and review their diff: ' +
  'UPDATE_GOLDEN=1 node scripts/test.mjs --selectProjects unit -- __tests__/unit/terraform/golden-outputs.test.ts'

function read(path: string): string | undefined {
  if (existsSync(path)) return readFileSync(path, 'utf8')
  if (existsSync(`${path}.gz`)) return gunzipSync(readFileSync(`${path}.gz`)).toString('utf8')
  return undefined
}

function write(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true })
  rmSync(path, { force: true })
  rmSync(`${path}.gz`, { force: true })
  if (Buffer.byteLength(text) > MAX_PLAIN) writeFileSync(`${path}.gz`, gzipSync(text, { level: 9 }))
  else writeFileSync(path, text)
}

/** Expects `actual` to equal the golden file at `path` (or rewrites it under UPDATE_GOLDEN=1). */
export function expectGolden(path: string, actual: string): void {
  if (updatingGolden) {
    if (read(path) !== actual) write(path, actual)
    return
  }
  const expected = read(path)
  try {
    expect(expected).toBeDefined()
    expect(actual).toBe(expected)
  } catch (e) {
    if (e instanceof Error)
      e.message = `golden file ${relative(repoRoot, path)}(.gz) differs:\n${e.message}\n\n${UPDATE_HINT}`
    throw e
  }
}
