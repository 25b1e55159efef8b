/**
 * Lambda bundle sizes: bundles every wired function with the settings of infra/constructs/sellerops-function.ts
 * (ESM, minified, tree-shaken, AWS SDK v3 external) and prints raw and gzip sizes.
 */
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { allFunctions } from '#infra/wiring.ts';

const root = join(import.meta.dirname, '..');
const rows: string[] = ['| function | bundle | gzip |', '|---|---:|---:|'];
for (const [name, spec] of allFunctions()) {
  const result = await build({
    entryPoints: [join(root, spec.entry)],
    bundle: true,
    minify: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    mainFields: ['module', 'main'],
    external: ['@aws-sdk/*'],
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.contents;
  rows.push(`| ${name} | ${(code.length / 1024).toFixed(0)} KB | ${(gzipSync(code).length / 1024).toFixed(0)} KB |`);
}
process.stdout.write(`${rows.join('\n')}\n`);
