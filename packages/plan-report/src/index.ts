export * from './marker.js'
export * from './counts.js'
export * from './render.js'
export * from './report.js'
