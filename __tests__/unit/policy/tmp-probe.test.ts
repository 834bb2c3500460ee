import { expect, it } from '@jest/globals'
import { parsePolicy } from '../../../packages/policy/src/load.js'
it('probe', () => {
  expect(() => parsePolicy('environments:\n  prod:\n    windows:\n      - days: [mon, tue, xyz]\n')).toThrow(/days\[2\]: must be one of mon..sun/)
})
