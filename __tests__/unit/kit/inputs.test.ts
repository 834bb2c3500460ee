import { afterEach, describe, expect, it } from '@jest/globals'
import { ConfigurationError } from '@tfpipe/kit/errors.js'
import {
  getBooleanInput,
  getChoiceInput,
  getDurationInput,
  getInput,
  getIntegerInput,
  getJsonInput,
  getListInput,
  parseDuration,
} from '@tfpipe/kit/inputs.js'

const set = (name: string, value: string) => {
  process.env[`INPUT_${name.toUpperCase()}`] = value
}

afterEach(() => {
  for (const key of Object.keys(process.env)) if (key.startsWith('INPUT_')) delete process.env[key]
})

describe('input readers', () => {
  it('names the missing required input', () => {
    expect(() => getInput('plan-file', { required: true })).toThrow(
      new ConfigurationError("Input 'plan-file' is required; set it in the step's 'with:'."),
    )
  })

  it('falls back to the default for an empty input and reads a given one', () => {
    expect(getInput('binary', { default: 'terraform' })).toBe('terraform')
    set('binary', ' tofu ')
    expect(getInput('binary', { default: 'terraform' })).toBe('tofu')
  })

  it('parses booleans and says what is accepted', () => {
    set('summary', 'FALSE')
    expect(getBooleanInput('summary', true)).toBe(false)
    set('summary', 'maybe')
    expect(() => getBooleanInput('summary', true)).toThrow("Input 'summary' must be true or false; got 'maybe'.")
  })

  it('checks integers against bounds', () => {
    set('retention-days', '120')
    expect(() => getIntegerInput('retention-days', 30, { min: 1, max: 90 })).toThrow(
      "Input 'retention-days' must be at most 90; got 120.",
    )
    set('retention-days', '3.5')
    expect(() => getIntegerInput('retention-days', 30)).toThrow('must be a whole number')
    set('retention-days', '7')
    expect(getIntegerInput('retention-days', 30)).toBe(7)
  })

  it('lists the allowed choices', () => {
    set('comment', 'sometimes')
    expect(() => getChoiceInput('comment', ['update', 'new', 'off'] as const, 'update')).toThrow(
      "Input 'comment' must be one of 'update', 'new', 'off'; got 'sometimes'.",
    )
  })

  it('reads newline and comma lists without blanks or comments', () => {
    set('working-directory', 'stacks/a\n# skipped\n\nstacks/b, stacks/c')
    expect(getListInput('working-directory')).toEqual(['stacks/a', 'stacks/b', 'stacks/c'])
  })

  it('parses durations', () => {
    expect(parseDuration('x', '90')).toBe(90_000)
    expect(parseDuration('x', '1h30m')).toBe(5_400_000)
    expect(getDurationInput('lock-timeout', '60s')).toBe(60_000)
    expect(() => parseDuration('lock-timeout', '5 minutes')).toThrow(
      "Input 'lock-timeout' must be a duration such as 90s",
    )
  })

  it('reports invalid JSON with the input name', () => {
    set('details', '{"a":')
    expect(() => getJsonInput('details')).toThrow(/^Input 'details' must be valid JSON/)
  })
})
