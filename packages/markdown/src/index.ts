export * from './escape.js'
export * from './budget.js'
export * from './diff.js'
