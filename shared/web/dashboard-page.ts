/**
 * The dashboard: one self-contained page (no build step, no third-party script) served at GET / by the
 * webApp function. It calls the same HTTP API with the user's bearer token. Customers see Lost & Found
 * (R-L3: found / filed / paid / rejected / expiring, recovered, fee owed, by month and type, every claim) and
 * their onboarding recommendation; CSM staff see their notification feed (read/unread) and task queue.
 * Untrusted text is only ever set through textContent.
 */
export const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>sellerops</title>
<style>
  :root { --ink:#1d2433; --muted:#6b7385; --line:#e3e6ee; --accent:#2456d8; --ok:#1f8a4c; --warn:#c27c0e; --bad:#c0392b; }
  * { box-sizing: border-box; }
  body { margin:0; font:14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color:var(--ink); background:#f6f7fb; }
  header { display:flex; align-items:center; gap:16px; padding:12px 24px; background:#fff; border-bottom:1px solid var(--line); }
  header h1 { font-size:18px; margin:0; }
  header .who { margin-left:auto; color:var(--muted); }
  main { max-width:1200px; margin:0 auto; padding:24px; }
  section { background:#fff; border:1px solid var(--line); border-radius:8px; padding:16px 20px; margin-bottom:20px; }
  h2 { font-size:16px; margin:0 0 12px; }
  .kpis { display:grid; grid-template-columns:repeat(auto-fit, minmax(150px, 1fr)); gap:12px; }
  .kpi { border:1px solid var(--line); border-radius:6px; padding:10px 12px; }
  .kpi .label { color:var(--muted); font-size:12px; text-transform:uppercase; letter-spacing:.04em; }
  .kpi .value { font-size:20px; font-weight:600; }
  .kpi .count { color:var(--muted); }
  table { border-collapse:collapse; width:100%; }
  th, td { text-align:left; padding:6px 8px; border-bottom:1px solid var(--line); vertical-align:top; }
  th { color:var(--muted); font-weight:600; font-size:12px; }
  td.num, th.num { text-align:right; font-variant-numeric: tabular-nums; }
  .status { padding:1px 8px; border-radius:10px; font-size:12px; background:#eef1f8; }
  .status.paid { background:#e3f5ea; color:var(--ok); } .status.rejected, .status.expired { background:#fbe9e7; color:var(--bad); }
  .status.filed, .status.info_requested { background:#e8eefc; color:var(--accent); }
  .status.failing { background:#fbe9e7; color:var(--bad); }
  .unread td { font-weight:600; }
  button { font:inherit; padding:5px 12px; border-radius:6px; border:1px solid var(--accent); background:var(--accent); color:#fff; cursor:pointer; }
  button.secondary { background:#fff; color:var(--accent); }
  input, select, textarea { font:inherit; padding:5px 8px; border:1px solid var(--line); border-radius:6px; }
  form.login { display:flex; flex-wrap:wrap; gap:8px; align-items:center; }
  .error { color:var(--bad); }
  .muted { color:var(--muted); }
  svg text { font-size:11px; fill:var(--muted); }
</style>
</head>
<body>
<header><h1>sellerops</h1><span class="who" id="who">signed out</span><button class="secondary" id="signout" hidden>Sign out</button></header>
<main>
  <section id="login">
    <h2>Sign in</h2>
    <form class="login" id="token-form">
      <textarea id="token" rows="2" cols="70" placeholder="Paste a bearer token (Cognito ID token)"></textarea>
      <button type="submit">Use token</button>
    </form>
    <form class="login" id="dev-login" hidden>
      <span class="muted">Local stack dev login:</span>
      <select id="dev-role"><option value="customer">customer</option><option value="csm">CSM staff</option></select>
      <input id="dev-id" placeholder="tenant or staff id" value="demo-lostfound">
      <button type="submit">Sign in</button>
    </form>
    <p class="error" id="login-error"></p>
  </section>
  <div id="customer" hidden>
    <section id="lf">
      <h2>Lost &amp; Found</h2>
      <div class="kpis" id="kpis"></div>
      <h2 style="margin-top:18px">Recovered by month</h2>
      <div id="by-month"></div>
      <h2 style="margin-top:18px">By claim type</h2>
      <table id="by-type"><thead><tr><th>Type</th><th class="num">Found</th><th class="num">Filed</th><th class="num">Paid</th><th class="num">Rejected</th><th class="num">Expiring</th></tr></thead><tbody></tbody></table>
    </section>
    <section>
      <h2>Claims</h2>
      <table id="claims"><thead><tr><th>Type</th><th>SKU</th><th>Ref</th><th class="num">Units</th><th class="num">Value</th><th>Deadline</th><th>Status</th><th></th></tr></thead><tbody></tbody></table>
    </section>
    <section id="report-fetches">
      <h2>Reports from Amazon</h2>
      <table id="fetches"><thead><tr><th>Report</th><th>Status</th><th>Last success</th><th>Next attempt</th><th></th></tr></thead><tbody></tbody></table>
    </section>
    <section id="onboarding"><h2>Onboarding</h2><div id="recommendation" class="muted">No Repricer analysis.</div></section>
  </div>
  <div id="csm" hidden>
    <section><h2>Notifications</h2><table id="feed"><thead><tr><th>When</th><th>Title</th><th>Customer</th><th>Language</th><th></th></tr></thead><tbody></tbody></table></section>
    <section><h2>My tasks</h2><table id="tasks"><thead><tr><th>Due</th><th>Kind</th><th>Customer</th><th>Title</th></tr></thead><tbody></tbody></table></section>
  </div>
</main>
<script>
(() => {
  const $ = (id) => document.getElementById(id);
  const el = (tag, props = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(props)) {
      if (k === 'class') node.className = v; else if (k === 'text') node.textContent = v; else if (k.startsWith('on')) node.addEventListener(k.slice(2), v); else node.setAttribute(k, v);
    }
    for (const c of children) node.append(c);
    return node;
  };
  const DECIMALS = { JPY: 0 };
  const fmt = (m) => { const d = DECIMALS[m.currency] ?? 2; return (m.minor / 10 ** d).toFixed(d) + ' ' + m.currency; };
  const fmtList = (list) => (list && list.length ? list.map(fmt).join(' + ') : '0');
  let token = sessionStorage.getItem('sellerops-token');

  const claimsOf = (jwt) => { try { return JSON.parse(atob(jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))); } catch { return null; } };
  async function api(path, init = {}) {
    const response = await fetch(path, { ...init, headers: { authorization: 'Bearer ' + token, 'content-type': 'application/json', ...(init.headers || {}) } });
    const body = response.status === 204 ? null : await response.json();
    if (!response.ok) throw new Error((body && body.error && body.error.message) || response.statusText);
    return body;
  }

  function kpi(label, figure, extra) {
    return el('div', { class: 'kpi', 'data-kpi': label.toLowerCase() },
      el('div', { class: 'label', text: label }),
      el('div', { class: 'value', text: extra ?? fmtList(figure.value) }),
      el('div', { class: 'count', text: figure ? figure.count + ' claim(s)' : '' }));
  }

  function monthChart(byMonth) {
    const width = 720, height = 160, pad = 28;
    const values = byMonth.map((m) => (m.recovered[0] ? m.recovered[0].minor : 0));
    const max = Math.max(1, ...values);
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    svg.setAttribute('viewBox', '0 0 ' + width + ' ' + height); svg.setAttribute('width', '100%'); svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', 'Recovered amount per month');
    const bw = byMonth.length ? (width - pad * 2) / byMonth.length : 0;
    byMonth.forEach((m, i) => {
      const h = (values[i] / max) * (height - pad * 2);
      const rect = document.createElementNS(svg.namespaceURI, 'rect');
      rect.setAttribute('x', String(pad + i * bw + 4)); rect.setAttribute('y', String(height - pad - h));
      rect.setAttribute('width', String(Math.max(2, bw - 8))); rect.setAttribute('height', String(h)); rect.setAttribute('fill', '#2456d8');
      const title = document.createElementNS(svg.namespaceURI, 'title'); title.textContent = m.month + ': ' + fmtList(m.recovered); rect.append(title);
      const label = document.createElementNS(svg.namespaceURI, 'text');
      label.setAttribute('x', String(pad + i * bw + bw / 2)); label.setAttribute('y', String(height - 8)); label.setAttribute('text-anchor', 'middle'); label.textContent = m.month;
      svg.append(rect, label);
    });
    return svg;
  }

  // The daily fetch per report (GET /lost-and-found/report-fetches): last success, a failure with its reason and a
  // retry button (POST /lost-and-found/report-fetches/{reportType}/retry), the next attempt of a step being retried.
  async function showReportFetches(tenant) {
    let fetches;
    try { fetches = await api('/lost-and-found/report-fetches'); } catch { return; }
    const when = (iso) => (iso ? iso.slice(0, 16).replace('T', ' ') + ' UTC' : '—');
    $('fetches').tBodies[0].replaceChildren(...fetches.reports.map((r) => {
      const failing = r.state === 'failed' || (r.error && r.state !== 'done');
      const status = r.state === 'failed' ? 'failed: ' + r.error : r.error ? r.state + ' (retrying: ' + r.error + ')' : r.state;
      const retry = r.state === 'failed'
        ? el('button', { class: 'secondary', text: 'Retry', onclick: async (e) => {
            e.target.disabled = true;
            try { await api('/lost-and-found/report-fetches/' + encodeURIComponent(r.reportType) + '/retry', { method: 'POST' }); } catch (error) { e.target.replaceWith(el('span', { class: 'error', text: error.message })); return; }
            await showReportFetches(tenant);
          } })
        : el('span');
      return el('tr', { 'data-report': r.reportType },
        el('td', { text: r.reportType }), el('td', {}, el('span', { class: 'status' + (failing ? ' failing' : ''), text: status })),
        el('td', { text: when(r.lastSuccessAt) }), el('td', { text: when(r.nextAttemptAt) }), el('td', {}, retry));
    }));
  }

  async function showCustomer(tenant) {
    $('customer').hidden = false;
    const [dashboard, claims] = await Promise.all([api('/lost-and-found/dashboard'), api('/lost-and-found/claims')]);
    $('kpis').replaceChildren(
      kpi('Found', dashboard.found), kpi('Filed', dashboard.filed), kpi('Paid', dashboard.paid), kpi('Rejected', dashboard.rejected),
      kpi('Expiring', dashboard.expiring), kpi('Recovered', null, fmtList(dashboard.recovered)),
      kpi('Fee owed', null, fmtList(dashboard.feeOwed) + ' (' + dashboard.feeBasisPoints / 100 + ' %)'));
    const anyRecovered = dashboard.byMonth.some((m) => m.recovered.some((r) => r.minor > 0));
    $('by-month').replaceChildren(anyRecovered ? monthChart(dashboard.byMonth) : el('p', { class: 'muted', text: 'Nothing recovered yet.' }));
    $('by-type').tBodies[0].replaceChildren(...dashboard.byType.map((t) => el('tr', {},
      el('td', { text: t.type }), el('td', { class: 'num', text: String(t.found.count) }), el('td', { class: 'num', text: String(t.filed.count) }),
      el('td', { class: 'num', text: String(t.paid.count) }), el('td', { class: 'num', text: String(t.rejected.count) }), el('td', { class: 'num', text: String(t.expiring.count) }))));
    const rows = claims.claims.sort((a, b) => a.deadline.localeCompare(b.deadline)).map((c) => {
      const action = c.status === 'found' || c.status === 'reversed' || c.status === 'rejected'
        ? el('button', { class: 'secondary', text: 'File', onclick: async (e) => { e.target.disabled = true; await api('/lost-and-found/claims/' + c.id + '/file', { method: 'POST' }); await showCustomer(tenant); } })
        : el('span', { class: 'muted', text: c.caseId ? 'case ' + c.caseId : '' });
      return el('tr', { 'data-claim': c.id },
        el('td', { text: c.type }), el('td', { text: c.msku }), el('td', { text: c.ref }), el('td', { class: 'num', text: String(c.quantity) }),
        el('td', { class: 'num', text: fmt(c.amount) }), el('td', { text: c.deadline }), el('td', {}, el('span', { class: 'status ' + c.status, text: c.status })), el('td', {}, action));
    });
    $('claims').tBodies[0].replaceChildren(...rows);
    await showReportFetches(tenant);
    try {
      const onboarding = await api('/customers/' + encodeURIComponent(tenant) + '/onboarding');
      if (onboarding.recommendation) {
        const r = onboarding.recommendation;
        $('recommendation').replaceChildren(el('p', { text: 'Recommended strategy: ' + r.overall }), el('ul', {}, ...r.reasons.map((t) => el('li', { text: t }))),
          ...r.segments.map((s) => el('p', { text: s.segment + ' (' + s.skus + ' SKUs): ' + s.strategy + ' — ' + s.reasons.join('; ') })),
          ...(onboarding.analysis.source === 'simulated' ? [el('p', { class: 'muted', text: 'Computed from simulated Amazon data.' })] : []));
      } else if (onboarding.analysis) {
        $('recommendation').textContent = 'Analysis ' + onboarding.analysis.status + (onboarding.analysis.reason ? ': ' + onboarding.analysis.reason : '');
      }
    } catch { /* no customer record yet */ }
  }

  async function showCsm() {
    $('csm').hidden = false;
    const [feed, tasks] = await Promise.all([api('/csm/notifications?limit=50'), api('/csm/tasks')]);
    $('feed').tBodies[0].replaceChildren(...feed.items.map((n) => el('tr', { class: n.read ? '' : 'unread', 'data-notification': n.notificationId },
      el('td', { text: n.occurredAt.replace('T', ' ').slice(0, 16) }), el('td', { text: n.title }), el('td', { text: n.companyName }), el('td', { text: n.language }),
      el('td', {}, n.read ? el('span', { class: 'muted', text: 'read' }) : el('button', { class: 'secondary', text: 'Mark read', onclick: async () => { await api('/csm/notifications/' + n.notificationId + '/read', { method: 'POST' }); await showCsm(); } })))));
    $('tasks').tBodies[0].replaceChildren(...tasks.items.map((t) => el('tr', {},
      el('td', { text: t.dueAt.replace('T', ' ').slice(0, 16) }), el('td', { text: t.kind }), el('td', { text: t.companyName }), el('td', { text: t.title }))));
  }

  async function render() {
    const claims = token ? claimsOf(token) : null;
    $('customer').hidden = true; $('csm').hidden = true;
    if (!claims) { $('login').hidden = false; $('signout').hidden = true; $('who').textContent = 'signed out'; return; }
    $('login').hidden = true; $('signout').hidden = false;
    const groups = String(claims['cognito:groups'] || '');
    const tenant = claims['custom:tenant_id'];
    $('who').textContent = tenant ? 'customer ' + tenant : 'CSM ' + (claims['custom:staff_id'] || claims.sub);
    try { if (groups.includes('csm')) await showCsm(); else await showCustomer(tenant); }
    catch (error) { $('login').hidden = false; $('login-error').textContent = String(error.message || error); }
  }

  $('token-form').addEventListener('submit', (e) => { e.preventDefault(); token = $('token').value.trim(); sessionStorage.setItem('sellerops-token', token); render(); });
  $('signout').addEventListener('click', () => { token = null; sessionStorage.removeItem('sellerops-token'); render(); });
  $('dev-login').addEventListener('submit', async (e) => {
    e.preventDefault();
    const role = $('dev-role').value, id = $('dev-id').value.trim();
    const response = await fetch('/_local/auth/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(role === 'customer' ? { role, tenant: id } : { role, staff: id }) });
    const body = await response.json();
    if (!response.ok) { $('login-error').textContent = body.error.message; return; }
    token = body.token; sessionStorage.setItem('sellerops-token', token); render();
  });
  fetch('/_local/health').then((r) => { if (r.ok) $('dev-login').hidden = false; }).catch(() => {});
  render();
})();
</script>
</body>
</html>
`;
