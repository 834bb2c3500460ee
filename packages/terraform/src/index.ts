export type * from './plan-json.js'
export type * from './model.js'
export { parsePlanJson } from './parse.js'
export { classifyActions, isReplace, isMove, isImport, isSignificant, forgets } from './classify.js'
export { redactValue, hasMark, SENSITIVE, UNKNOWN } from './redact.js'
export { scrubValue, scrubText, MIN_SCRUB_LENGTH } from './scrub.js'
export {
  redactChange,
  redactPlan,
  sensitiveVariableNames,
  collectPlanSecrets,
  planSecrets,
  type RedactedChange,
} from './sensitive-places.js'
export {
  buildPlanModel,
  terraformPlanLine,
  countChanges,
  toResourceEntry,
  changedAttributes,
  renderPath,
  emptyCounts,
  isSensitiveOutput,
  type PlanLineOptions,
} from './build-model.js'
export { planFingerprint, canonicalJson, changeSet } from './fingerprint.js'
export {
  runTerraform,
  showPlanJson,
  showPlanText,
  type TerraformBinary,
  type RunResult,
  type RunOptions,
  type ShowOptions,
} from './exec.js'
