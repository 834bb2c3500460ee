// Runs every benchmark in scripts/bench/*.ts (through tsx); each prints its own markdown table.
// Usage: npm run bench [-- name-filter]
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..')
const filter = process.argv[2] ?? ''
const benches = readdirSync(join(root, 'scripts', 'bench'))
  .filter((f) => f.endsWith('.ts') && f.includes(filter))
  .sort()
let failed = 0
for (const file of benches) {
  console.log(`\n## ${file.replace(/\.ts$/, '')}\n`)
  const r = spawnSync(join(root, 'node_modules', '.bin', 'tsx'), [join(root, 'scripts', 'bench', file)], {
    stdio: 'inherit',
    cwd: root,
  })
  if (r.status !== 0) failed++
}
process.exit(failed ? 1 : 0)
