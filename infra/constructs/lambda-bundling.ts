/**
 * How every function is bundled, in one place: NodejsFunction (infra/constructs/sellerops-function.ts) at synth, the
 * bundle-size benchmark and the bundling test use these very options. ESM, minified and tree-shaken for Node 24; the
 * AWS SDK v3 is left to the Lambda runtime, which provides it; CommonJS dependencies (the X-Ray SDK) get a require().
 */
import { join } from 'node:path';
import type { BuildOptions } from 'esbuild';

const repositoryRoot = join(import.meta.dirname, '..', '..');

/** Substitutes for packages a bundle never needs (esbuild aliases; paths from the repository root). */
export const BUNDLE_ALIASES: Readonly<Record<string, string>> = {
  semver: './infra/constructs/xray-sdk-v2-semver.ts',
};

export const LAMBDA_BUNDLING = {
  format: 'esm',
  target: 'node24',
  minify: true,
  mainFields: ['module', 'main'],
  /** Provided by the Node.js runtime of Lambda: the AWS SDK v3 and nothing else. */
  external: ['@aws-sdk/*'],
  // ESM bundles of CommonJS dependencies still call require(); give them one.
  banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
} as const;

/** The same options for esbuild's JavaScript API (the benchmark, the test): aliases resolved to absolute paths. */
export function esbuildOptions(entry: string): BuildOptions & { entryPoints: string[] } {
  return {
    entryPoints: [join(repositoryRoot, entry)],
    bundle: true,
    platform: 'node',
    format: LAMBDA_BUNDLING.format,
    target: LAMBDA_BUNDLING.target,
    minify: LAMBDA_BUNDLING.minify,
    mainFields: [...LAMBDA_BUNDLING.mainFields],
    external: [...LAMBDA_BUNDLING.external],
    banner: { js: LAMBDA_BUNDLING.banner },
    alias: Object.fromEntries(Object.entries(BUNDLE_ALIASES).map(([name, path]) => [name, join(repositoryRoot, path)])),
  };
}
