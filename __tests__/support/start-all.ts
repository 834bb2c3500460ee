/**
 * Starts several test parts (servers, moto) at once. Unlike `Promise.all`, when one fails to start the
 * others that did start are closed before the error is thrown: the test's afterAll never receives them,
 * and a listening server or moto's child process left behind keeps jest from exiting after the run.
 */
interface Closable {
  close(): Promise<void> | void
}

export async function startAll<T extends readonly Promise<Closable>[]>(
  starts: readonly [...T],
): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const settled = await Promise.allSettled(starts)
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected')
  if (failed) {
    await Promise.allSettled(
      settled.map(async (r) => {
        if (r.status === 'fulfilled') await r.value.close()
      }),
    )
    throw failed.reason
  }
  return settled.map((r) => (r as PromiseFulfilledResult<Closable>).value) as {
    -readonly [K in keyof T]: Awaited<T[K]>
  }
}
