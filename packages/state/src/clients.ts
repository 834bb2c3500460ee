import { S3Client } from '@aws-sdk/client-s3'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { proxyAgentsFor } from '@tfpipe/kit/proxy.js'
import type { BackendConfig } from './backend-config.js'

/** The AWS clients one backend needs. Call `destroy()` when done (closes sockets). */
export interface StateClients {
  s3: S3Client
  dynamodb: DynamoDBClient
  destroy(): void
}

export interface ClientOptions {
  /** Overrides the credentials (otherwise: the backend config's static keys, then the SDK's default chain). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }
  maxAttempts?: number
}

/** S3 and DynamoDB clients for a backend: its endpoints, path style and region. */
export function createStateClients(config: BackendConfig, options: ClientOptions = {}): StateClients {
  const credentials = options.credentials ?? config.credentials
  const common = {
    region: config.region,
    maxAttempts: options.maxAttempts ?? 3,
    ...(credentials ? { credentials } : {}),
    ...(config.profile && !credentials ? { profile: config.profile } : {}),
  }
  // HTTPS_PROXY/NO_PROXY decide per endpoint: the custom one, else the regional AWS one the SDK uses.
  const handler = (endpoint: string | undefined, service: string) => {
    const agents = proxyAgentsFor(endpoint ?? `https://${service}.${config.region}.amazonaws.com`)
    return Object.keys(agents).length > 0 ? { requestHandler: agents } : {}
  }
  const s3 = new S3Client({
    ...common,
    ...handler(config.endpoints.s3, 's3'),
    forcePathStyle: config.usePathStyle,
    ...(config.endpoints.s3 ? { endpoint: config.endpoints.s3 } : {}),
    // Only send checksums when an operation requires them (S3-compatible stores often reject the new defaults).
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  })
  const dynamodb = new DynamoDBClient({
    ...common,
    ...handler(config.endpoints.dynamodb, 'dynamodb'),
    ...(config.endpoints.dynamodb ? { endpoint: config.endpoints.dynamodb } : {}),
  })
  return {
    s3,
    dynamodb,
    destroy() {
      s3.destroy()
      dynamodb.destroy()
    },
  }
}
