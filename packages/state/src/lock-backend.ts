import type { BackendConfig } from './backend-config.js'
import type { StateClients } from './clients.js'
import type { AcquiredLocks, HeldLock, LockKind } from './lock-info.js'

/** One kind of state lock (DynamoDB item or S3 `.tflock` object): what acquire/release/list/unlock need of it. */
export interface LockBackend {
  kind: LockKind
  /** Whether the backend config uses this lock. */
  configured(config: BackendConfig): boolean
  /** This state's lock, if held. */
  get(config: BackendConfig, clients: StateClients): Promise<HeldLock | null>
  /** Tries once to take the lock; returns the holder when somebody else has it. */
  tryTake(config: BackendConfig, clients: StateClients, infoJson: string): Promise<HeldLock | null>
  /** Releases the lock only if it is still the one `acquired` took. */
  release(config: BackendConfig, clients: StateClients, acquired: AcquiredLocks): Promise<void>
  /** Every lock of this kind for any state of the backend (table or bucket). */
  listAll(config: BackendConfig, clients: StateClients): Promise<HeldLock[]>
  /** Removes this state's lock if its ID is `id`; returns whether it did. */
  forceRemove(config: BackendConfig, clients: StateClients, id: string): Promise<boolean>
}
