/**
 * What `npm start` and `npm run token` share on the command line: `--help` prints the usage, a mistyped option
 * prints one line and the usage (exit 2) instead of a stack trace, and the token command names the stack's URL.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

/** The URL `npm run token` asks when neither `--url` nor SELLEROPS_URL says otherwise. */
export const DEFAULT_STACK_URL = 'http://localhost:4000';

export function parseCommandLine<O extends Options>(usage: string, options: O): { values: ReturnType<typeof parseArgs<{ options: O }>>['values'] } {
  const withHelp = { ...options, help: { type: 'boolean', short: 'h' } } as const;
  let parsed: ReturnType<typeof parseArgs<{ options: typeof withHelp }>>;
  try {
    parsed = parseArgs({ options: withHelp });
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
    process.exit(2);
  }
  if ((parsed.values as { help?: boolean }).help === true) {
    process.stdout.write(usage);
    process.exit(0);
  }
  return { values: parsed.values };
}

/** `npm run -s token -- <args>`, with `--url` when the stack is not where the token command looks by default. */
export function tokenCommand(stackUrl: string, args: string): string {
  return stackUrl === DEFAULT_STACK_URL ? `npm run -s token -- ${args}` : `npm run -s token -- --url ${stackUrl} ${args}`;
}

export function isAddressInUse(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && (error).code === 'EADDRINUSE';
}
