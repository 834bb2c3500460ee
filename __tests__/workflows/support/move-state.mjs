// Test hook: "someone applied in between". Rewrites a Terraform state in moto's S3 with serial + 1 and the
// same lineage, and updates the DynamoDB digest item as terraform would, so the state is valid but no
// longer the one a saved plan was made against.
// Usage: node move-state.mjs <endpoint> <bucket> <key> <table>
import { createHash } from 'node:crypto'
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb'

const [endpoint, bucket, key, table] = process.argv.slice(2)
const config = {
  endpoint,
  region: 'us-east-1',
  forcePathStyle: true,
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
}
const s3 = new S3Client(config)
const state = JSON.parse(
  await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body.transformToString(),
)
state.serial += 1
const body = `${JSON.stringify(state, null, 2)}\n`
await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }))
const db = new DynamoDBClient(config)
await db.send(
  new PutItemCommand({
    TableName: table,
    Item: { LockID: { S: `${bucket}/${key}-md5` }, Digest: { S: createHash('md5').update(body).digest('hex') } },
  }),
)
console.log(`moved ${key} to serial ${state.serial}`)
