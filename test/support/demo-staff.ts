/** The demo CSM team (local/demo-seed.ts) arranged for a test through the staff directory, as a lead would. */
import type { LocalStack } from '../../local/stack.ts';
import { DEMO_STAFF } from '../../local/demo-seed.ts';

/**
 * Every demo manager but `atWork` is away today (absent staff keep their customers but get no new ones), so a new
 * customer in a language `atWork` speaks is theirs. Throws with the answer if the directory refuses a change.
 */
export async function onlyAtWork(stack: LocalStack, atWork: string): Promise<void> {
  const lead = await stack.auth.issue({ role: 'csm-lead', staffId: 'csm-anna' });
  for (const member of DEMO_STAFF.filter((m) => m.staffId !== atWork)) {
    const response = await fetch(`${stack.url}/csm/staff/${member.staffId}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${lead}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: member.name,
        email: `${member.staffId}@sellerops.example`,
        languages: member.languages,
        capacity: 200,
        available: false,
        lead: member.lead,
        timeZone: 'Europe/Berlin',
      }),
    });
    if (response.status !== 200) throw new Error(`PUT /csm/staff/${member.staffId}: ${response.status} ${await response.text()}`);
  }
}
