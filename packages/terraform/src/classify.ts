import type { ChangeAction, ResourceChange } from './plan-json.js'
import type { ChangeKind } from './model.js'

/**
 * Maps terraform's `change.actions` to one ChangeKind.
 *
 * Terraform 1.11 writes these action lists (plans/action.go, command/jsonplan):
 *  - ["no-op"]                      no-op (may still be a move or an import: see isMove / isImport)
 *  - ["create"] / ["read"] / ["update"] / ["delete"]
 *  - ["delete","create"]            replace, destroy-before-create (the default)
 *  - ["create","delete"]            replace, create-before-destroy (lifecycle create_before_destroy)
 *  - ["forget"]                     `removed { lifecycle { destroy = false } }`: dropped from state, object kept
 *  - ["create","forget"]            CreateThenForget: the object must be replaced but the existing one is
 *                                   not destroyed, only dropped from state (resource-level
 *                                   `lifecycle { destroy = false }`, terraform >= 1.12; 1.11.4 rejects that
 *                                   argument, so 1.11 never writes this list). Terraform's JSON UI calls it
 *                                   "replace"; we do too. Counting (build-model.ts) follows terraform's plan
 *                                   line: one add and one forget, no destroy (counts.replaceForget).
 */
export function classifyActions(actions: readonly ChangeAction[]): ChangeKind {
  const key = actions.join(',')
  switch (key) {
    case 'no-op':
    case '':
      return 'no-op'
    case 'create':
      return 'create'
    case 'read':
      return 'read'
    case 'update':
      return 'update'
    case 'delete':
      return 'delete'
    case 'forget':
      return 'forget'
    case 'delete,create':
    case 'create,delete':
      return 'replace'
    case 'create,forget':
      return 'replace'
    default:
      throw new Error(`unsupported terraform change actions [${actions.join(', ')}]`)
  }
}

export function isReplace(actions: readonly ChangeAction[]): boolean {
  return classifyActions(actions) === 'replace'
}

/** True when the action list includes a forget (["forget"] or ["create","forget"]). */
export function forgets(actions: readonly ChangeAction[]): boolean {
  return actions.includes('forget')
}

/** A resource instance whose address changed (a `moved` block or an implied move). */
export function isMove(rc: Pick<ResourceChange, 'address' | 'previous_address'>): boolean {
  return typeof rc.previous_address === 'string' && rc.previous_address !== '' && rc.previous_address !== rc.address
}

/** A resource instance being imported by an `import` block (any action, usually no-op or update). */
export function isImport(rc: Pick<ResourceChange, 'change'>): boolean {
  return rc.change.importing !== undefined && rc.change.importing !== null
}

/**
 * True when the entry is worth showing: any real action, or a no-op that moves or imports.
 */
export function isSignificant(rc: ResourceChange): boolean {
  return classifyActions(rc.change.actions) !== 'no-op' || isMove(rc) || isImport(rc)
}
