// Rebuilds every bundle into a temporary folder and fails when dist/ differs from it.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..')
const fresh = mkdtempSync(join(tmpdir(), 'dist-'))
const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--out', fresh], { stdio: 'inherit' })
if (build.status !== 0) process.exit(build.status ?? 1)

const list = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? list(path) : [path]
  })
const committed = new Set(list(join(root, 'dist')).map((p) => relative(join(root, 'dist'), p)))
const rebuilt = new Set(list(fresh).map((p) => relative(fresh, p)))
const problems = []
for (const f of rebuilt) {
  if (!committed.has(f)) problems.push(`missing from dist/: ${f}`)
  else if (!readFileSync(join(fresh, f)).equals(readFileSync(join(root, 'dist', f))))
    problems.push(`differs: dist/${f}`)
}
for (const f of committed) if (!rebuilt.has(f)) problems.push(`stale file in dist/: ${f}`)
if (problems.length) {
  console.error(`dist/ is not current (run npm run build and commit):\n  ${problems.join('\n  ')}`)
  process.exit(1)
}
console.log('dist/ is current.')
