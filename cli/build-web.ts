/**
 * `npm run build:web [-- --out <dir>]`: builds the web app into a directory (default web/dist) and prints what a
 * first visit downloads, raw and gzipped. `npm start`, the tests and `cdk deploy` build it themselves; this is
 * for looking at the output and measuring it.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzippedBytes, WEB_APP_DIR, writeWebAppSync } from '#shared/web/web-app-build.ts';

const { values } = parseArgs({ options: { out: { type: 'string', default: join(WEB_APP_DIR, 'dist') } } });
const files = writeWebAppSync(values.out);
const kb = (n: number): string => `${(n / 1024).toFixed(1)} KB`;
for (const f of files) process.stdout.write(`${f.path.padEnd(18)} ${kb(f.contents.byteLength).padStart(9)}  gzipped ${kb(gzippedBytes(f)).padStart(8)}\n`);
const js = files.filter((f) => f.path.endsWith('.js')).reduce((sum, f) => sum + gzippedBytes(f), 0);
process.stdout.write(`first load: ${kb(js)} of JavaScript gzipped (budget 200 KB) → ${values.out}\n`);
if (js > 200 * 1024) process.exitCode = 1;
