#!/usr/bin/env node
// The `sellerops` command. It runs the TypeScript sources directly through tsx so the CLI, the local stack
// and the Lambda handlers share one code path with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
await main(process.argv);
