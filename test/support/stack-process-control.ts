/** Runs the local stack as its own OS process (test/support/stack-process.ts) so a test can SIGKILL it. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { eventually, type ResponseBody } from './local-stack.ts';

export { eventually };

export interface Running {
  child: ChildProcess;
  url: string;
  sqs: string;
  queueUrls: Record<string, string>;
}

export const credentials = { accessKeyId: 'durability-test', secretAccessKey: 'durability-test-secret' };
const children: ChildProcess[] = [];

/** SIGKILLs every stack process still running (a failed test's leftovers). */
export function killAll(): void {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
}

export async function start(dataDir: string, pollers: boolean): Promise<Running> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '..', 'support', 'stack-process.ts')], {
    env: { ...process.env, STACK_DATA: dataDir, STACK_POLLERS: String(pollers), AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const line = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const end = text.indexOf('\n');
      if (end >= 0) resolve(text.slice(0, end));
    });
    child.once('exit', (code) => reject(new Error(`stack process exited with ${code}`)));
  });
  return { child, ...(JSON.parse(line) as Omit<Running, 'child'>) };
}

export async function kill(running: Running): Promise<void> {
  const exited = new Promise((r) => running.child.once('exit', r));
  running.child.kill('SIGKILL');
  await exited;
}

export async function call(running: Running, method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<{ status: number; body: ResponseBody }> {
  const response = await fetch(`${running.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

export async function token(running: Running, body: Record<string, string>): Promise<string> {
  return (await call(running, 'POST', '/_local/auth/token', { body })).body.token as string;
}


