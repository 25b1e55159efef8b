/**
 * The local stand-in for the web app's static host (S3 behind CloudFront when deployed): serves the built app
 * at `/`, `/assets/app.js`, `/assets/app.css` and `/config.json` (dev login) from the same origin as the API,
 * with the same Content-Security-Policy CloudFront adds. The app is built in memory on the first request, so
 * `npm start` and the tests need no build step and never share an output directory.
 */
import { buildWebApp, WEB_APP_PATHS, webAppCsp, type WebAppFile } from '#shared/web/web-app-build.ts';
import type { LocalRouteHandler } from './http-api.ts';

/**
 * What the local app is told: sign in with the dev login; the API is this origin; the CSM console's feed is live
 * over server-sent events (local/csm-live-feed.ts). Without `liveFeed` (AWS) the console polls the feed.
 */
export const LOCAL_WEB_APP_CONFIG = { apiBase: '', auth: { kind: 'dev' }, liveFeed: 'sse' } as const;

/** `connectSources`: origins besides its own the page may call (the local S3 that pre-signed upload URLs point at). */
export function webAppRoutes(options: { connectSources?: readonly string[] } = {}): Record<string, LocalRouteHandler> {
  let built: Promise<Map<string, WebAppFile>> | undefined;
  const files = (): Promise<Map<string, WebAppFile>> => {
    built ??= buildWebApp().then((list) => new Map(list.map((f) => [f.path, f])));
    return built;
  };
  const headers = { 'content-security-policy': webAppCsp(options.connectSources ?? []), 'x-content-type-options': 'nosniff', 'cache-control': 'no-cache', 'referrer-policy': 'no-referrer' };
  const serve =
    (path: string): LocalRouteHandler =>
    async () => {
      const file = (await files()).get(path);
      if (!file) return { status: 404, body: { error: { code: 'not_found', message: `no file ${path}` } } };
      return { status: 200, body: Buffer.from(file.contents), contentType: file.contentType, headers };
    };
  const routes: Record<string, LocalRouteHandler> = {
    'GET /': serve('/index.html'),
    'GET /config.json': async () => ({ status: 200, body: LOCAL_WEB_APP_CONFIG, headers }),
  };
  for (const path of WEB_APP_PATHS) routes[`GET ${path}`] = serve(path);
  return routes;
}
