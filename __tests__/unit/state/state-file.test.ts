import { describe, expect, test } from '@jest/globals'
import { diffStates, md5Hex, parseState, serializeState, StateFormatError } from '@tfpipe/state/state-file.js'

const base = {
  version: 4,
  terraform_version: '1.11.4',
  serial: 7,
  lineage: 'lin-1',
  outputs: {},
  resources: [
    {
      mode: 'managed',
      type: 'terraform_data',
      name: 'a',
      provider: 'p',
      instances: [{ schema_version: 0, attributes: { id: '1' } }],
    },
    {
      module: 'module.net',
      mode: 'managed',
      type: 'terraform_data',
      name: 'b',
      provider: 'p',
      instances: [
        { index_key: 0, attributes: { id: '2' } },
        { index_key: 1, attributes: { id: '3' } },
      ],
    },
    {
      mode: 'data',
      type: 'terraform_remote_state',
      name: 'c',
      provider: 'p',
      instances: [{ index_key: 'x', attributes: { id: '4' } }],
    },
  ],
  check_results: null,
}

describe('state files', () => {
  test('parseState validates the format', () => {
    expect(parseState(JSON.stringify(base)).serial).toBe(7)
    expect(() => parseState('{', 'v1')).toThrow(StateFormatError)
    expect(() => parseState('{', 'v1')).toThrow(/^v1 is not JSON/)
    expect(() => parseState(JSON.stringify({ ...base, version: 3 }))).toThrow('state format version 3; only version 4')
    expect(() => parseState(JSON.stringify({ ...base, serial: -1 }))).toThrow('no valid serial')
    expect(() => parseState(JSON.stringify({ ...base, lineage: '' }))).toThrow('no lineage')
    expect(() => parseState(JSON.stringify({ ...base, resources: [{ type: 'x' }] }))).toThrow('malformed resource')
    expect(parseState(JSON.stringify({ ...base, resources: undefined })).resources).toEqual([])
  })

  test('serializeState changes only serial (and lineage), keeps key order, terraform formatting', () => {
    const bytes = serializeState(parseState(JSON.stringify(base)), { serial: 12 })
    const text = bytes.toString('utf8')
    expect(text.endsWith('}\n')).toBe(true)
    expect(Object.keys(JSON.parse(text) as object)).toEqual(Object.keys(base))
    expect(JSON.parse(text)).toEqual({ ...base, serial: 12 })
    expect(
      JSON.parse(serializeState(parseState(JSON.stringify(base)), { serial: 1, lineage: 'lin-2' }).toString()).lineage,
    ).toBe('lin-2')
    expect(md5Hex(Buffer.from('abc'))).toBe('900150983cd24fb0d6963f7d28e17f72')
  })

  test('diffStates: added, removed and changed instance addresses (modules, counts, for_each, data)', () => {
    const from = parseState(JSON.stringify(base))
    const to = parseState(
      JSON.stringify({
        ...base,
        resources: [
          { ...base.resources[0], instances: [{ schema_version: 0, attributes: { id: '1-changed' } }] },
          { ...base.resources[1], instances: [{ index_key: 0, attributes: { id: '2' } }] },
          { mode: 'managed', type: 'terraform_data', name: 'new', provider: 'p', instances: [{ attributes: {} }] },
          base.resources[2],
        ],
      }),
    )
    expect(diffStates(from, to)).toEqual({
      added: ['terraform_data.new'],
      removed: ['module.net.terraform_data.b[1]'],
      changed: ['terraform_data.a'],
      unchanged: 2,
    })
    expect(diffStates(from, from)).toEqual({ added: [], removed: [], changed: [], unchanged: 4 })
    expect([...diffStatesKeys(from)]).toContain('data.terraform_remote_state.c["x"]')
  })
})

function diffStatesKeys(state: ReturnType<typeof parseState>): string[] {
  return diffStates(parseState(JSON.stringify({ ...base, resources: [] })), state).added
}
