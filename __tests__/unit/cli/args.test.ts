import { describe, expect, it } from '@jest/globals'
import {
  closest,
  defineCommand,
  helpText,
  parseFlags,
  runCommand,
  type CommandSpec,
  type Flags,
} from '@tfpipe/cli/args.js'
import { CliError } from '@tfpipe/cli/errors.js'
import { ConfigurationError } from '@tfpipe/kit/errors.js'
import { allCommands } from '@tfpipe/cli/main.js'

const demo = defineCommand({
  name: 'demo',
  summary: 'a command for the parser tests',
  flags: [
    { name: 'env', value: 'ENV', description: 'environment', required: true },
    { name: 'dry-run', description: 'send nothing' },
    { name: 'format', value: 'FORMAT', description: 'output', choices: ['text', 'json'], default: 'text' },
    { name: 'plan-json', value: 'FILE', description: 'plan JSON', conflicts: ['plan-file'] },
    { name: 'plan-file', value: 'FILE', description: 'saved plan' },
    { name: 'repo', value: 'OWNER/REPO', description: 'repository', requires: ['sha'] },
    { name: 'sha', value: 'SHA', description: 'commit' },
  ],
  refused: { 'webhook-url': 'would put a secret on the command line; use --webhook-url-env NAME.' },
  run: async () => 0,
})

function parse(...argv: string[]): Flags {
  const flags = parseFlags(demo, argv)
  if (flags === 'help') throw new Error('unexpected help')
  return flags
}
const error = (...argv: string[]): string => {
  try {
    parse(...argv)
  } catch (e) {
    expect(e instanceof CliError || e instanceof ConfigurationError).toBe(true)
    return (e as Error).message
  }
  throw new Error(`no error for ${argv.join(' ')}`)
}

describe('the tfpipe argument parser', () => {
  it('reads values in both forms, defaults, and switches', () => {
    const f = parse('--env', 'prod', '--plan-json=plan.json')
    expect(f.string('env')).toBe('prod')
    expect(f.string('plan-json')).toBe('plan.json')
    expect(f.string('format')).toBe('text')
    expect(f.has('format')).toBe(false)
    expect(f.bool('dry-run')).toBe(false)
    expect(parse('--env', 'a', '--format', 'json').string('format')).toBe('json')
  })

  it('accepts a switch as --x, --x=true and --x=false (and the kit booleans yes/no)', () => {
    expect(parse('--env', 'a', '--dry-run').bool('dry-run')).toBe(true)
    expect(parse('--env', 'a', '--dry-run=true').bool('dry-run')).toBe(true)
    expect(parse('--env', 'a', '--dry-run=false').bool('dry-run')).toBe(false)
    expect(parse('--env', 'a', '--dry-run=no').bool('dry-run')).toBe(false)
    expect(error('--env', 'a', '--dry-run=maybe')).toBe("--dry-run must be true or false; got 'maybe'.")
    expect(error('--env', 'a', '--dry-run', 'yes')).toBe(
      "unexpected argument 'yes' (--dry-run is a switch and takes no value: write --dry-run or --dry-run=false); tfpipe demo takes flags only.",
    )
  })

  it('refuses an unknown flag and names the closest declared one', () => {
    expect(error('--env', 'a', '--dryrun')).toBe('unknown flag --dryrun; did you mean --dry-run?')
    expect(error('--environment', 'prod')).toBe('unknown flag --environment; did you mean --env?')
    expect(error('--env', 'a', '--plan-jsn', 'x')).toBe('unknown flag --plan-jsn; did you mean --plan-json?')
    expect(error('--env', 'a', '--colour')).toBe('unknown flag --colour; tfpipe demo --help lists its flags.')
    expect(error('--env', 'a', '-e', 'x')).toBe('unknown flag -e; did you mean --env?')
    expect(closest('tickt', ['ticket', 'env'])).toBe('ticket')
    expect(closest('xyz', ['ticket', 'env'])).toBeUndefined()
  })

  it('refuses a missing value, and a value that is the next flag', () => {
    expect(error('--env')).toBe('--env needs a value: --env ENV.')
    expect(error('--env', '--dry-run')).toBe('--env needs a value: --env ENV.')
    expect(error('--env=')).toBe('--env needs a value: --env ENV.')
    expect(parse('--env=--odd').string('env')).toBe('--odd')
    expect(error('--env', 'a', '--format', 'yaml')).toBe("--format must be one of 'text', 'json'; got 'yaml'.")
  })

  it('refuses contradictory flags: conflicts, a flag given twice, a flag without the one it needs', () => {
    expect(error('--env', 'a', '--plan-json', 'p.json', '--plan-file', 'tfplan')).toBe(
      '--plan-json and --plan-file exclude each other; give one.',
    )
    expect(error('--env', 'a', '--env', 'b')).toBe('--env is given twice; give it once.')
    expect(error('--env', 'a', '--repo', 'acme/infra')).toBe('--repo needs --sha.')
  })

  it('refuses a missing required flag, and a refused flag with its reason', () => {
    expect(error('--dry-run')).toBe('--env is required.')
    expect(error('--env', 'a', '--webhook-url', 'https://x')).toBe(
      '--webhook-url would put a secret on the command line; use --webhook-url-env NAME.',
    )
  })

  it('enforces exactly-one groups', async () => {
    const spec = defineCommand({
      name: 'pick',
      summary: 'one of two',
      flags: [
        { name: 'version-id', value: 'ID', description: 'a version' },
        { name: 'steps-back', value: 'N', description: 'steps' },
      ],
      oneOf: [['version-id', 'steps-back']],
      run: async (flags) => (flags.string('version-id') ? 10 : 20),
    })
    await expect(runCommand(spec, [])).rejects.toThrow('give --version-id or --steps-back.')
    await expect(runCommand(spec, ['--version-id', 'v', '--steps-back', '1'])).rejects.toThrow(
      'give --version-id or --steps-back, not both.',
    )
    expect(await runCommand(spec, ['--version-id', 'v'])).toBe(10)
    expect(await runCommand(spec, ['--steps-back', '1'])).toBe(20)
  })

  it('gives help for -h/--help whatever else is on the line, and refuses declarations that refer to unknown flags', () => {
    expect(parseFlags(demo, ['--bogus', '--help'])).toBe('help')
    expect(parseFlags(demo, ['-h'])).toBe('help')
    expect(() =>
      defineCommand({
        name: 'bad',
        summary: '',
        flags: [{ name: 'a', description: '', conflicts: ['b'] }],
        run: async () => 0,
      }),
    ).toThrow('--b is referred to but not declared')
    expect(() => parse('--env', 'a').string('nope')).toThrow('does not declare')
  })
})

/** The flags a help text lists (first column of the flag table). */
function listedFlags(help: string): string[] {
  const lines = help.split('\n')
  const start = lines.indexOf('flags:') + 1
  const end = lines.indexOf('', start)
  return lines
    .slice(start, end === -1 ? undefined : end)
    .filter((l) => /^ {2}-/.test(l))
    .flatMap((l) =>
      [
        ...l
          .trim()
          .split(/\s{2,}/)[0]!
          .matchAll(/--([a-z0-9-]+)/g),
      ].map((m) => m[1]!),
    )
}

describe('tfpipe <command> --help', () => {
  const commands: CommandSpec[] = allCommands()

  it('covers every command', () => {
    expect(commands.map((c) => c.name).sort()).toEqual([
      'deployments',
      'gate',
      'metrics',
      'notify',
      'plan-comment',
      'state locks',
      'state rollback',
      'state unlock',
      'state versions',
    ])
  })

  it.each(commands.map((c) => [c.name, c] as const))(
    '%s: lists exactly the flags it accepts, and mentions no other',
    (_name, spec) => {
      const help = helpText(spec)
      expect(listedFlags(help).sort()).toEqual([...spec.flags.map((f) => f.name), 'help'].sort())
      const declared = new Set([...spec.flags.map((f) => f.name), 'help'])
      const mentioned = [...help.matchAll(/(?<![\w-])--([a-z][a-z0-9-]*)/g)].map((m) => m[1]!)
      expect(mentioned.filter((m) => !declared.has(m))).toEqual([])
      // every listed flag is accepted by the parser (no "unknown flag")
      for (const f of spec.flags) {
        const argv = [f.value ? `--${f.name}=${f.choices?.[0] ?? 'x'}` : `--${f.name}`]
        try {
          parseFlags(spec, argv)
        } catch (e) {
          expect((e as Error).message).not.toMatch(/unknown flag/)
        }
      }
    },
  )
})
