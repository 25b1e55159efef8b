/**
 * Stands in for the `semver` package in the Lambda bundles (an esbuild alias: infra/constructs/lambda-bundling.ts).
 * The X-Ray SDK under Powertools' Tracer requires semver for one thing only: checking the version of an AWS SDK v2
 * handed to `captureAWS()`. sellerops traces AWS SDK v3 clients (`captureAWSv3Client`), and the Node.js 24 runtime has
 * no SDK v2, so that check never runs; semver was 28 KB of every bundle (9 KB gzipped). Tracing itself is untouched.
 * test/infra/lambda-bundling.test.ts fails if anything else in a bundle starts importing semver.
 */
export function gte(): boolean {
  throw new Error('captureAWS (AWS SDK v2) is not available in sellerops bundles: trace AWS SDK v3 clients with captureAWSv3Client');
}
