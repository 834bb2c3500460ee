import type { PlanCounts, PlanModel, ResourceEntry } from '@tfpipe/terraform/model.js'

/** Hand-made models for renderer tests (no terraform needed). */
export function entry(address: string, kind: ResourceEntry['kind'], extra: Partial<ResourceEntry> = {}): ResourceEntry {
  const dot = address.lastIndexOf('.', !address.includes('[') ? undefined : address.indexOf('['))
  const moduleMatch = /^(module\.[^.]+(?:\.module\.[^.]+)*)\./.exec(address)
  return {
    address,
    moduleAddress: moduleMatch ? moduleMatch[1]! : '',
    type: 'terraform_data',
    name: address.slice(dot + 1),
    mode: 'managed',
    kind,
    actions: kind === 'replace' ? ['delete', 'create'] : kind === 'no-op' ? ['no-op'] : [kind],
    importing: false,
    replacePaths: [],
    before: null,
    after: null,
    changedAttributes: [],
    ...extra,
  }
}

export function model(resources: ResourceEntry[], extra: Partial<PlanModel> = {}): PlanModel {
  const counts: PlanCounts = {
    add: 0,
    change: 0,
    destroy: 0,
    replace: 0,
    import: 0,
    move: 0,
    forget: 0,
    read: 0,
    drift: 0,
    outputs: 0,
  }
  for (const r of resources) {
    if (r.kind === 'create') counts.add++
    if (r.kind === 'update') counts.change++
    if (r.kind === 'delete') counts.destroy++
    if (r.kind === 'replace') counts.replace++
    if (r.kind === 'forget') counts.forget++
    if (r.importing) counts.import++
    if (r.previousAddress) counts.move++
  }
  counts.drift = extra.drift?.length ?? 0
  counts.outputs = extra.outputs?.length ?? 0
  return {
    terraformVersion: '1.11.4',
    errored: false,
    complete: true,
    resources,
    drift: [],
    outputs: [],
    counts,
    hasChanges: resources.length > 0 || counts.outputs > 0,
    fingerprint: 'ab'.repeat(32),
    ...extra,
  }
}
