/**
 * `npm run smoke` against the local stack (started here on port 0), so the suite that checks a deployment cannot
 * rot: the very script, run as `npm run smoke -- --url <api>` runs it, must pass every step.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type Api } from '../support/local-stack.ts';

let api: Api;

beforeAll(async () => {
  api = await startApi();
});
// eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- `api` is unset when beforeAll failed
afterAll(async () => api?.stack.stop());

describe('npm run smoke', () => {
  it('passes every step against the local stack and says so, step by step', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'cli/smoke.ts', '--url', api.stack.url, '--timeout', '240'], {
      timeout: 280_000,
    });
    const steps = stdout.split('\n').filter((line) => /^(PASS|FAIL|SKIP) /.test(line));
    expect(steps.map((line) => line.split(':')[0])).toEqual([
      'PASS  API answers',
      'PASS  test subscription',
      'PASS  sign-up (repricer)',
      'PASS  CSM push of the sign-up',
      'PASS  sign-up (lost-and-found)',
      'PASS  tiny audit',
      'PASS  Amazon connection',
      'PASS  dry-run reprice',
    ]);
    expect(stdout).toContain('smoke test passed: 8 passed, 0 failed, 0 skipped');
  });

  it('exits non-zero, naming the step, when a step fails', async () => {
    // A token command that prints nothing: every step that needs a token fails, and the run with it.
    const run = promisify(execFile)(process.execPath, ['--import', 'tsx', 'cli/smoke.ts', '--url', api.stack.url, '--token-cmd', 'true', '--timeout', '5'], { timeout: 120_000 });
    const failure = await run.then(
      () => undefined,
      (error: unknown) => error as { code: number; stdout: string },
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stdout).toContain('PASS  API answers');
    expect(failure?.stdout).toContain('FAIL  test subscription: --token-cmd for csm-lead smoke-csm failed: --token-cmd printed no token for csm-lead smoke-csm');
    expect(failure?.stdout).toContain('smoke test FAILED');
  });
});
