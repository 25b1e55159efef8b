import { ValidationError } from '#shared/kernel/errors.ts';

/** Page cursors are DynamoDB's LastEvaluatedKey, base64url-encoded; a cursor is only accepted for the query that made it. */
export function encodeCursor(key: Record<string, unknown> | undefined): string | null {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : null;
}

export function decodeCursor(cursor: string, belongs: (key: Record<string, unknown>) => boolean): Record<string, unknown> {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (typeof key === 'object' && key !== null && !Array.isArray(key) && belongs(key as Record<string, unknown>)) {
      return key as Record<string, unknown>;
    }
  } catch {
    // fall through
  }
  throw new ValidationError('cursor: not a cursor this API returned', { field: 'cursor' });
}
