/**
 * The web app's build: esbuild bundles web/src/main.ts (TypeScript, uPlot) into one ES module and one stylesheet,
 * and puts web/index.html beside them. The same function feeds the local stack (in memory, built once on the
 * first request, so `npm start` and the tests need no build step) and the CDK deployment (written to the asset
 * directory that is uploaded to S3). Scripts and styles are files, never inline: the page runs under a strict
 * Content-Security-Policy without 'unsafe-inline' (WEB_APP_CSP).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, buildSync, type BuildOptions, type OutputFile } from 'esbuild';

export const WEB_APP_DIR = join(import.meta.dirname, '..', '..', 'web');

/** One built file: its path as served (`/index.html`, `/assets/app.js`…), its bytes and content type. */
export interface WebAppFile {
  readonly path: string;
  readonly contents: Uint8Array;
  readonly contentType: string;
}

/**
 * The page's policy: its own scripts, styles and data only. `connectSource` adds the Cognito domain in AWS (the
 * token endpoint is called from the page); the API is same-origin.
 */
export function webAppCsp(connectSource: readonly string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${connectSource.map((s) => ` ${s}`).join('')}`,
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json',
};

function contentTypeOf(path: string): string {
  const extension = /\.[a-z]+$/.exec(path)?.[0] ?? '';
  return CONTENT_TYPES[extension] ?? 'application/octet-stream';
}

/** Every file the app consists of, as served: the static host (CloudFront + S3, or the local stack) serves these. */
export const WEB_APP_PATHS = ['/index.html', '/assets/app.js', '/assets/app.css'] as const;

const BUILD_OPTIONS = {
  entryPoints: { app: join(WEB_APP_DIR, 'src', 'main.ts') },
  bundle: true,
  format: 'esm',
  target: ['es2022'],
  platform: 'browser',
  minify: true,
  write: false,
  outdir: '/assets',
  legalComments: 'none',
  logLevel: 'silent',
} as const satisfies BuildOptions;

/** The bundle's outputs and the page: exactly WEB_APP_PATHS (a new kind of output must be added there, or the build fails). */
function appFiles(outputs: readonly OutputFile[], html: Uint8Array): WebAppFile[] {
  const files: WebAppFile[] = outputs.map((f) => ({ path: f.path, contents: f.contents, contentType: contentTypeOf(f.path) }));
  files.push({ path: '/index.html', contents: html, contentType: contentTypeOf('/index.html') });
  const paths = files.map((f) => f.path).sort();
  if (paths.join(' ') !== [...WEB_APP_PATHS].sort().join(' ')) throw new Error(`the web app built ${paths.join(', ')}, not ${WEB_APP_PATHS.join(', ')}`);
  return files;
}

/** Builds the app in memory (the local stack). */
export async function buildWebApp(): Promise<WebAppFile[]> {
  const result = await build(BUILD_OPTIONS);
  return appFiles(result.outputFiles, await readFile(join(WEB_APP_DIR, 'index.html')));
}

/** Builds the app into `outDir` (CDK's local bundling of the S3 asset, which is synchronous); returns the files. */
export function writeWebAppSync(outDir: string): WebAppFile[] {
  const files = appFiles(buildSync(BUILD_OPTIONS).outputFiles, readFileSync(join(WEB_APP_DIR, 'index.html')));
  for (const file of files) {
    const target = join(outDir, file.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.contents);
  }
  return files;
}

/** What a first visit downloads, gzipped (the first-load budget is 200 KB of JavaScript). */
export function gzippedBytes(file: WebAppFile): number {
  return gzipSync(file.contents, { level: 9 }).byteLength;
}
