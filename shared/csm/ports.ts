/** The CSM ports: staff directory, task repository, notification store and push. Adapters live in shared/adapters/. */
import type { CsmNotification } from './notifications.ts';
import type { StaffMember } from './staff.ts';
import type { CsmTask } from './tasks.ts';

export interface StaffDirectory {
  /** Every staff member (a handful to a few hundred: one small partition). */
  list(): Promise<StaffMember[]>;
  get(staffId: string): Promise<StaffMember | undefined>;
  /** Writes the member's profile fields if the stored version is `member.version - 1` (0 = new); keeps the customer set. */
  save(member: StaffMember): Promise<void>;
  /**
   * Idempotent set operations on the member's customers. With `expectedCount`, the add happens only if the
   * manager still has exactly that many customers (false otherwise): concurrent assignments then see each
   * other's load instead of all picking the same least-loaded manager.
   */
  addCustomer(staffId: string, tenantId: string, expectedCount?: number): Promise<boolean>;
  removeCustomer(staffId: string, tenantId: string): Promise<void>;
}

export interface TaskRepository {
  /** Creates the task unless one with its id exists; returns whether it was created. */
  createIfAbsent(task: CsmTask): Promise<boolean>;
  get(taskId: string): Promise<CsmTask | undefined>;
  /**
   * Open and in-progress tasks of one assignee, earliest due first; `null`: the tasks nobody has (a survey call
   * no manager had room for, the tasks of a manager who left whose customers found no one), for any manager to take.
   */
  listOpen(assigneeId: string | null, limit: number): Promise<CsmTask[]>;
  /** Every task about one customer (open, in progress and done), newest created first: its history of contacts. */
  listForCustomer(tenantId: string, limit: number): Promise<CsmTask[]>;
  /** Writes `task` (version = stored + 1); throws VersionConflictError otherwise. */
  save(task: CsmTask): Promise<void>;
}

export type PushClaim = 'claimed' | 'pushed' | 'held';

export interface CsmNotificationStore {
  /** Stores the notification (in the all-staff feed and its manager's feed) unless stored; returns the stored one. */
  putIfAbsent(notification: CsmNotification): Promise<{ stored: CsmNotification; created: boolean }>;
  markPushed(notification: CsmNotification, pushedAt: Date): Promise<void>;
  /**
   * Takes the right to push, with one conditional write: `claimed` when nobody pushed it and no other claim is
   * live (a claim lapses at `until`, so a consumer that died holding it does not wedge the push), `pushed` when
   * it already went out, `held` while another consumer's claim is live.
   */
  claimPush(notificationId: string, now: Date, until: Date): Promise<PushClaim>;
  /** Gives a claim up after a failed push, so a retry need not wait for it to lapse. */
  releasePush(notificationId: string): Promise<void>;
  /** Newest first; `staffId` reads that manager's feed, otherwise the all-staff feed. */
  listFeed(limit: number, cursor?: string, staffId?: string): Promise<{ items: CsmNotification[]; nextCursor: string | null }>;
  readMarks(staffId: string, notificationIds: readonly string[]): Promise<Set<string>>;
  markRead(staffId: string, notificationId: string, at: Date): Promise<void>;
  get(notificationId: string): Promise<CsmNotification | undefined>;
}

export interface CsmPushPublisher {
  /** Pushes to staff over the CSM topic, with attributes their subscription filter policies match on. */
  push(notification: CsmNotification): Promise<void>;
}
