/**
 * The Lambda bundle as NodejsFunction builds it (infra/constructs/lambda-bundling.ts), checked on one function: the
 * Tracer keeps its X-Ray SDK (tracing in AWS is not traded for size), semver is replaced by the stand-in and only the
 * SDK v2 patcher asks for it (so the stand-in can never be reached by anything we call), and the bundle loads.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { esbuildOptions } from '#infra/constructs/lambda-bundling.ts';

const dir = mkdtempSync(join(tmpdir(), 'sellerops-bundle-'));
let metafile: Metafile;
let bundlePath: string;

beforeAll(async () => {
  const result = await build({ ...esbuildOptions('functions/trial-end-call/handler.ts'), write: false, logLevel: 'silent', metafile: true });
  metafile = result.metafile;
  bundlePath = join(dir, 'index.mjs');
  writeFileSync(bundlePath, result.outputFiles[0]!.contents);
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const bundled = () => Object.keys(Object.values(metafile.outputs)[0]!.inputs);

describe('Lambda bundles', () => {
  it("keep the Tracer's X-Ray SDK, including its AWS SDK v3 patcher", () => {
    expect(bundled()).toEqual(expect.arrayContaining(['node_modules/aws-xray-sdk-core/dist/lib/patchers/aws3_p.js', expect.stringMatching(/^node_modules\/@aws-lambda-powertools\/tracer\//)]));
  });

  it('leave semver out: the stand-in is imported by the X-Ray SDK v2 patcher alone', () => {
    expect(bundled().filter((file) => file.startsWith('node_modules/semver/'))).toEqual([]);
    const importers = Object.entries(metafile.inputs)
      .filter(([, input]) => input.imports.some((i) => i.path === 'infra/constructs/xray-sdk-v2-semver.ts'))
      .map(([file]) => file);
    expect(importers).toEqual(['node_modules/aws-xray-sdk-core/dist/lib/patchers/aws_p.js']);
  });

  it('load as an ES module and export the handler', async () => {
    const module = (await import(pathToFileURL(bundlePath).href)) as { handler?: unknown };
    expect(typeof module.handler).toBe('function');
  });
});
