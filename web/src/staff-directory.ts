/**
 * The CSM staff directory's names (`GET /csm/staff`): the console names a manager by their name (*Marc Dubois*),
 * never by their login id (`csm-marc`). Loaded once when the console opens; an id the directory does not know
 * (a manager added since) is shown as the id, so it is visible, not hidden.
 */
import { api } from './api.ts';

interface StaffEntry {
  readonly staffId: string;
  readonly name: string;
}

let names: ReadonlyMap<string, string> = new Map();

export async function loadStaffDirectory(): Promise<void> {
  const { staff } = await api<{ staff: StaffEntry[] }>('/csm/staff');
  names = new Map(staff.map((member) => [member.staffId, member.name]));
}

export function staffName(staffId: string): string {
  return names.get(staffId) ?? staffId;
}
