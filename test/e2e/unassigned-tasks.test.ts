import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleSignup, startApi, type Api, type ResponseBody } from '../support/local-stack.ts';

let api: Api;
let lead: string;

beforeAll(async () => {
  api = await startApi();
  lead = await api.token('csm-lead', 'u-lead');
});
// eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- `api` is unset when beforeAll failed
afterAll(async () => api?.stack.stop());

const putStaff = (staffId: string) =>
  api.call('PUT', `/csm/staff/${staffId}`, {
    token: lead,
    body: { name: staffId, email: `${staffId}@example.com`, languages: ['de', 'en'], capacity: 100, timeZone: 'Europe/Berlin' },
  });

describe('tasks nobody has', () => {
  it('lists the open tasks left without a manager, and a manager takes one by starting it', async () => {
    expect((await putStaff('u-solo')).status).toBe(200);
    const signup = await api.call('POST', '/signups', { token: await api.token('customer', 'un-1'), body: exampleSignup({ language: 'de', companyName: 'Unassigned GmbH' }) });
    expect(signup.status, JSON.stringify(signup.body)).toBe(201);
    const solo = await api.token('csm', 'u-solo');
    const welcome = (
      await api.eventually(async () => (await api.call('GET', '/csm/tasks', { token: solo })).body.items, (items: ResponseBody[]) => items.some((t) => t.tenantId === 'un-1'))
    ).find((t: ResponseBody) => t.tenantId === 'un-1');
    expect(welcome).toMatchObject({ kind: 'welcome-call', assigneeId: 'u-solo' });

    // The only manager leaves: nobody is left to take the customer, so the call belongs to no one.
    const left = await api.call('POST', '/csm/staff/u-solo/leave', { token: lead });
    expect(left.status, JSON.stringify(left.body)).toBe(200);
    expect(left.body).toMatchObject({ reassigned: [{ tenantId: 'un-1', csmId: null }], tasksMoved: 1 });
    expect((await api.call('GET', '/csm/tasks', { token: solo })).body.items).toEqual([]);

    expect((await api.call('GET', '/csm/tasks/unassigned')).status).toBe(401);
    expect((await api.call('GET', '/csm/tasks/unassigned', { token: await api.token('customer', 'un-1') })).status).toBe(403);
    expect((await putStaff('u-new')).status).toBe(200);
    const newcomer = await api.token('csm', 'u-new');
    const unassigned = await api.call('GET', '/csm/tasks/unassigned?limit=10', { token: newcomer });
    expect(unassigned.status).toBe(200);
    expect(unassigned.body.items.map((t: ResponseBody) => [t.taskId, t.assigneeId])).toEqual([[welcome.taskId, null]]);

    const started = await api.call('POST', `/csm/tasks/${welcome.taskId}/start`, { token: newcomer });
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    expect(started.body).toMatchObject({ status: 'in-progress', assigneeId: 'u-new' });
    expect((await api.call('GET', '/csm/tasks/unassigned', { token: newcomer })).body.items).toEqual([]);
    expect((await api.call('GET', '/csm/tasks', { token: newcomer })).body.items.map((t: ResponseBody) => t.taskId)).toEqual([welcome.taskId]);
    // Taken: another manager can no longer start it.
    expect((await api.call('POST', `/csm/tasks/${welcome.taskId}/start`, { token: lead })).status).toBe(403);
  });
});

describe('team lead rights', () => {
  it('lets only a team lead change the staff directory and the survey settings; any manager reads them', async () => {
    const manager = await api.token('csm', 'u-plain');
    const body = { name: 'Plain', email: 'plain@example.com', languages: ['de', 'en'], capacity: 10 };
    expect((await api.call('PUT', '/csm/staff/u-plain', { token: manager, body })).status).toBe(403);
    expect((await api.call('POST', '/csm/staff/u-solo/leave', { token: manager })).status).toBe(403);
    expect((await api.call('PUT', '/surveys/settings', { token: manager, body: { minContractDays: 1 } })).status).toBe(403);
    expect((await api.call('PUT', '/csm/staff/u-plain', { token: await api.token('customer', 'un-1'), body })).status).toBe(403);
    expect((await api.call('PUT', '/csm/staff/u-plain', { token: lead, body })).status).toBe(200);
    expect((await api.call('GET', '/csm/staff', { token: manager })).status).toBe(200);
    expect((await api.call('GET', '/surveys/settings', { token: manager })).status).toBe(200);
    // A lead is a manager too: the manager routes take a lead's token.
    expect((await api.call('GET', '/csm/tasks', { token: lead })).status).toBe(200);
  });
});
