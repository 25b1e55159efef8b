import { describe, expect, it } from 'vitest';
import { buildWebApp, gzippedBytes, WEB_APP_PATHS, webAppCsp } from '#shared/web/web-app-build.ts';

describe('the web app build', () => {
  it('builds exactly the served files, with a first load under 200 KB of gzipped JavaScript', async () => {
    const files = await buildWebApp();
    expect(files.map((f) => f.path).sort()).toEqual([...WEB_APP_PATHS].sort());
    const scripts = files.filter((f) => f.path.endsWith('.js'));
    const gzipped = scripts.reduce((sum, f) => sum + gzippedBytes(f), 0);
    expect(gzipped).toBeGreaterThan(10_000);
    expect(gzipped).toBeLessThan(200 * 1024);
  });

  it('loads no inline script or style, so the policy needs no unsafe-inline', async () => {
    const html = new TextDecoder().decode((await buildWebApp()).find((f) => f.path === '/index.html')!.contents);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)|<style|\sstyle=|\son[a-z]+=/i);
    const csp = webAppCsp(['https://x.auth.eu-central-1.amazoncognito.com']);
    expect(csp).not.toContain('unsafe');
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("connect-src 'self' https://x.auth.eu-central-1.amazoncognito.com");
  });
});
