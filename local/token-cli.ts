/**
 * `npm run token -- --role customer --tenant t1` | `--role csm --staff csm-ben` | `--role csm-lead --staff csm-anna`: prints a bearer token issued
 * by the running local stack (its dev login), equivalent to a Cognito ID token.
 */
import { DEFAULT_STACK_URL, parseCommandLine } from './command-line.ts';

const USAGE = `usage: npm run -s token -- --role customer --tenant <tenantId> | --role csm|csm-lead [--staff <staffId>] [--url ${DEFAULT_STACK_URL}]
  prints a bearer token from the running local stack (npm start prints these commands with its own --url)
  --url   the stack's API (default $SELLEROPS_URL, else ${DEFAULT_STACK_URL})
`;

const { values } = parseCommandLine(USAGE, {
  role: { type: 'string' },
  tenant: { type: 'string' },
  staff: { type: 'string' },
  url: { type: 'string', default: process.env.SELLEROPS_URL ?? DEFAULT_STACK_URL },
});

if (values.role !== 'customer' && values.role !== 'csm' && values.role !== 'csm-lead') {
  process.stderr.write(USAGE);
  process.exit(2);
}

try {
  const response = await fetch(`${values.url}/_local/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ role: values.role, ...(values.tenant ? { tenant: values.tenant } : {}), ...(values.staff ? { staff: values.staff } : {}) }),
  });
  const body = (await response.json()) as { token?: string; error?: { message: string } };
  if (!response.ok || !body.token) {
    process.stderr.write(`token: ${body.error?.message ?? response.statusText}\n`);
    process.exit(1);
  }
  process.stdout.write(`${body.token}\n`);
} catch {
  process.stderr.write(`token: no local stack answers at ${values.url} (start it with npm start)\n`);
  process.exit(1);
}
