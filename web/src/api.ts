/** The HTTP API, with the signed-in user's token. An error answer becomes an ApiError with the API's message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The request never got an answer (offline, DNS, the server down). */
export class NetworkError extends Error {}

export type TokenSource = () => Promise<string | null>;

let apiBase = '';
let tokenSource: TokenSource = async () => null;

export function configureApi(base: string, tokens: TokenSource): void {
  apiBase = base;
  tokenSource = tokens;
}

function errorOf(body: unknown): { code: string; message: string } | null {
  if (typeof body !== 'object' || body === null || !('error' in body)) return null;
  const error = body.error;
  if (typeof error !== 'object' || error === null) return null;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return typeof code === 'string' && typeof message === 'string' ? { code, message } : null;
}

/** Calls the API; resolves to the JSON body (the caller states its type: the API's contract, see /openapi.json). */
export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const token = await tokenSource();
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(`${apiBase}${path}`, {
      method: init.method ?? 'GET',
      headers,
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });
  } catch (error) {
    throw new NetworkError(String(error), { cause: error });
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text.length > 0 ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!response.ok) {
    const error = errorOf(body);
    throw new ApiError(response.status, error?.code ?? 'http_error', error?.message ?? (response.statusText || text.slice(0, 200)));
  }
  return body as T;
}
