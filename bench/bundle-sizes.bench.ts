/**
 * Lambda bundle sizes: bundles every wired function with the options infra/constructs/sellerops-function.ts gives
 * NodejsFunction (infra/constructs/lambda-bundling.ts: ESM, minified, tree-shaken, AWS SDK v3 external, aliases) and
 * prints raw and gzip sizes, and what the X-Ray SDK under the Tracer weighs in each.
 */
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { allFunctions } from '#infra/wiring.ts';
import { esbuildOptions } from '#infra/constructs/lambda-bundling.ts';

const rows: string[] = ['| function | bundle | gzip | X-Ray SDK and its dependencies |', '|---|---:|---:|---:|'];
const XRAY = /node_modules\/(aws-xray-sdk-core|cls-hooked|emitter-listener|shimmer|async-hook-jl|stack-chain|atomic-batcher|semver|@smithy\/service-error-classification)\//;
for (const [name, spec] of allFunctions()) {
  const result = await build({ ...esbuildOptions(spec.entry), write: false, logLevel: 'silent', metafile: true });
  const code = result.outputFiles[0]!.contents;
  const output = Object.values(result.metafile.outputs)[0]!;
  const xray = Object.entries(output.inputs).filter(([file]) => XRAY.test(file)).reduce((sum, [, input]) => sum + input.bytesInOutput, 0);
  rows.push(`| ${name} | ${(code.length / 1024).toFixed(0)} KB | ${(gzipSync(code).length / 1024).toFixed(0)} KB | ${(xray / 1024).toFixed(0)} KB |`);
}
process.stdout.write(`${rows.join('\n')}\n`);
