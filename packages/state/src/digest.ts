import { DeleteItemCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb'
import type { BackendConfig } from './backend-config.js'
import type { StateClients } from './clients.js'

/** The DynamoDB item terraform keeps the state's MD5 in: LockID `<bucket>/<statePath>-md5`. */
export function digestItemId(config: BackendConfig): string {
  return `${config.bucket}/${config.statePath}-md5`
}

/** The recorded digest (hex MD5), or undefined when there is no table, no item or no Digest. */
export async function getDigest(config: BackendConfig, clients: StateClients): Promise<string | undefined> {
  if (!config.dynamodbTable) return undefined
  const res = await clients.dynamodb.send(
    new GetItemCommand({
      TableName: config.dynamodbTable,
      Key: { LockID: { S: digestItemId(config) } },
      ConsistentRead: true,
    }),
  )
  const digest = res.Item?.Digest?.S
  return digest ? digest : undefined
}

/** Records the digest as terraform does after writing the state. No-op without a DynamoDB table. */
export async function putDigest(config: BackendConfig, clients: StateClients, md5hex: string): Promise<void> {
  if (!config.dynamodbTable) return
  await clients.dynamodb.send(
    new PutItemCommand({
      TableName: config.dynamodbTable,
      Item: { LockID: { S: digestItemId(config) }, Digest: { S: md5hex } },
    }),
  )
}

/**
 * Removes the digest item. Terraform checks the digest only when one is recorded, so a state without
 * a digest is always readable: the rollback removes it before writing and records the new one after.
 */
export async function deleteDigest(config: BackendConfig, clients: StateClients): Promise<void> {
  if (!config.dynamodbTable) return
  await clients.dynamodb.send(
    new DeleteItemCommand({ TableName: config.dynamodbTable, Key: { LockID: { S: digestItemId(config) } } }),
  )
}
