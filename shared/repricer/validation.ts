import type { z } from 'zod';
import { ValidationError } from '#shared/kernel/errors.ts';

/** Renders a zod path the way the user sees the document: `offers[2].min`, `Payload.X.Offers[0].ListingPrice`. */
export function formatPath(path: readonly PropertyKey[], prefix = ''): string {
  let out = prefix;
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(root)' : out;
}

/** Turns the first zod issues into one ValidationError whose message starts with the offending field. */
export function zodToValidationError(error: z.ZodError, what: string, prefix = ''): ValidationError {
  const issues = error.issues.slice(0, 5).map((issue) => `${formatPath(issue.path, prefix)}: ${issue.message}`);
  const first = error.issues[0];
  const field = first ? formatPath(first.path, prefix) : prefix;
  return new ValidationError(`invalid ${what}: ${issues.join('; ')}`, { field, issues });
}
