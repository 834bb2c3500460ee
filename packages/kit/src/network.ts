/** Network failures that no retry will cure: the request never reached a server. */
export const UNREACHABLE: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  CERT_HAS_EXPIRED: 'TLS certificate expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed TLS certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate not trusted',
  BAD_PORT: 'a port fetch refuses to use',
}

/** The network error code somewhere in an error's cause chain (fetch wraps it twice). */
export function networkErrorCode(error: unknown): string | undefined {
  let e = error as { code?: unknown; cause?: unknown; errors?: unknown[] } | undefined
  for (let depth = 0; e && depth < 5; depth++) {
    if (typeof e.code === 'string' && e.code in UNREACHABLE) return e.code
    // fetch refuses ports it considers unsafe (6000, 9, ...) before connecting: as final as a refusal
    if ((e as { message?: unknown }).message === 'bad port') return 'BAD_PORT'
    // AggregateError (happy eyeballs: IPv4 and IPv6 both refused)
    const inner = Array.isArray(e.errors) ? e.errors.map(networkErrorCode).find(Boolean) : undefined
    if (inner) return inner
    e = e.cause as typeof e
  }
  return undefined
}
