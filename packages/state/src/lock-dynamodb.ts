/** The DynamoDB lock: an item `LockID = <bucket>/<key>` holding the lock info JSON in `Info`. */
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
  type ScanCommandOutput,
} from '@aws-sdk/client-dynamodb'
import type { BackendConfig } from './backend-config.js'
import type { LockBackend } from './lock-backend.js'
import { heldLock, lockItemId, parseInfo, type HeldLock } from './lock-info.js'

const location = (config: BackendConfig, id = lockItemId(config)): string => `${config.dynamodbTable}:${id}`
const isConditionFailure = (error: unknown): boolean =>
  error instanceof ConditionalCheckFailedException ||
  (error as { name?: string } | null | undefined)?.name === 'ConditionalCheckFailedException'

/** Deletes the item only while it still holds `infoJson`: never a lock somebody took after a force-unlock. */
async function deleteIfInfo(
  config: BackendConfig,
  clients: Parameters<LockBackend['get']>[1],
  infoJson: string,
): Promise<boolean> {
  try {
    await clients.dynamodb.send(
      new DeleteItemCommand({
        TableName: config.dynamodbTable,
        Key: { LockID: { S: lockItemId(config) } },
        ConditionExpression: 'Info = :info',
        ExpressionAttributeValues: { ':info': { S: infoJson } },
      }),
    )
    return true
  } catch (error) {
    if (!isConditionFailure(error)) throw error
    return false
  }
}

async function getItemInfo(
  config: BackendConfig,
  clients: Parameters<LockBackend['get']>[1],
): Promise<string | undefined | null> {
  const res = await clients.dynamodb.send(
    new GetItemCommand({
      TableName: config.dynamodbTable,
      Key: { LockID: { S: lockItemId(config) } },
      ConsistentRead: true,
    }),
  )
  return res.Item ? res.Item.Info?.S : null
}

export const dynamodbLock: LockBackend = {
  kind: 'dynamodb',
  configured: (config) => Boolean(config.dynamodbTable),
  async get(config, clients) {
    if (!config.dynamodbTable) return null
    const info = await getItemInfo(config, clients)
    return info === null ? null : heldLock('dynamodb', location(config), config.statePath, info)
  },
  async tryTake(config, clients, infoJson) {
    try {
      await clients.dynamodb.send(
        new PutItemCommand({
          TableName: config.dynamodbTable,
          Item: { LockID: { S: lockItemId(config) }, Info: { S: infoJson } },
          ConditionExpression: 'attribute_not_exists(LockID)',
        }),
      )
      return null
    } catch (error) {
      if (!isConditionFailure(error)) throw error
      return (
        (await dynamodbLock.get(config, clients)) ?? heldLock('dynamodb', location(config), config.statePath, undefined)
      )
    }
  },
  async release(config, clients, acquired) {
    await deleteIfInfo(config, clients, acquired.infoJson)
  },
  async listAll(config, clients) {
    if (!config.dynamodbTable) return []
    const locks: HeldLock[] = []
    let start: ScanCommandOutput['LastEvaluatedKey']
    do {
      const page: ScanCommandOutput = await clients.dynamodb.send(
        new ScanCommand({ TableName: config.dynamodbTable, ...(start ? { ExclusiveStartKey: start } : {}) }),
      )
      for (const item of page.Items ?? []) {
        const id = item.LockID?.S
        // `<path>-md5` items hold terraform's state digests, not locks.
        if (!id || id.endsWith('-md5') || !item.Info?.S) continue
        const statePath = id.startsWith(`${config.bucket}/`) ? id.slice(config.bucket.length + 1) : id
        locks.push(heldLock('dynamodb', location(config, id), statePath, item.Info.S))
      }
      start = page.LastEvaluatedKey
    } while (start)
    return locks
  },
  async forceRemove(config, clients, id) {
    if (!config.dynamodbTable) return false
    const raw = await getItemInfo(config, clients)
    if (raw === null || raw === undefined || parseInfo(raw)?.ID !== id) return false
    return deleteIfInfo(config, clients, raw)
  },
}
