/**
 * The CDK context a test app gets: cdk.json's (feature flags, the stages' accounts and regions), exactly what
 * `npx cdk synth` reads, plus the tests' own keys. Bundling is skipped (esbuild runs in `npx cdk synth`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const cdkJson = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };

export const cdkJsonContext: Readonly<Record<string, unknown>> = cdkJson.context;

export function cdkTestContext(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...cdkJsonContext, 'aws:cdk:bundling-stacks': [], ...extra };
}
