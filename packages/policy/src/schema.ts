import policySchema from '../../../schemas/policy.schema.json' with { type: 'json' }

/** schemas/policy.schema.json, bundled into the action. */
export const schema: Record<string, unknown> = policySchema
