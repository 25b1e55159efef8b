import type { StaffMember } from './staff.ts';

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
