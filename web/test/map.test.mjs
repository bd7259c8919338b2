// Browser tests of the map page: `silkroute serve` on a random localhost
// port, Debian's Chromium driven by playwright-core, every request that
// does not go to 127.0.0.1 aborted (and the run failed), every page error
// or console error a failure. Each view is checked against the service's
// own answer and saved as a screenshot under docs/screenshots/.
//
//   node --test test/          (from web/, after `npm ci`; scripts/test-web does it all)
//
// SILKROUTE_BIN picks the binary (target/release/silkroute), the CLI's own
// SILKROUTE_NETWORK the network (the default cache otherwise),
// SILKROUTE_SCREENSHOTS where the pictures go.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = process.env.SILKROUTE_BIN || path.join(root, 'target/release/silkroute');
const shots = process.env.SILKROUTE_SCREENSHOTS || path.join(root, 'docs/screenshots');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
const LONG = 180_000; // a cold metric on a busy 2-core machine

let server; let base; let context; let page; let userDir;
const outside = []; // requests that tried to leave the machine
const problems = []; // page errors and console errors nobody expected
let expectedConsole = []; // console errors a step provokes on purpose

/** Starts `silkroute serve` and resolves its base URL from the line it prints. */
function startServer() {
  return new Promise((resolve, reject) => {
    server = spawn(bin, ['serve', '--listen', '127.0.0.1:0'], { env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = ''; let err = '';
    const timer = setTimeout(() => reject(new Error(`silkroute serve printed no address in 600 s: ${err.slice(-2000)}`)), 600_000);
    server.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    server.stderr.on('data', (d) => { err += d; });
    server.on('exit', (code) => { clearTimeout(timer); reject(new Error(`silkroute serve exited with ${code}: ${err.slice(-2000)}`)); });
    server.on('error', (e) => { clearTimeout(timer); reject(new Error(`cannot start ${bin}: ${e.message}`)); });
  });
}

async function waitForHealth(url) {
  const until = Date.now() + 60_000;
  for (;;) {
    try {
      const r = await fetch(`${url}/health`);
      if (r.ok && (await r.json()).status === 'ok') return;
    } catch { /* not up yet */ }
    if (Date.now() > until) throw new Error(`${url}/health never answered ok`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The service's answer to the same body the page posted. */
async function service(pathname, body) {
  const r = await fetch(`${base}${pathname}`, body === undefined ? {} : {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  const v = await r.json();
  assert.ok(r.ok, `${pathname} answered ${r.status}: ${v.message}`);
  return v;
}

/** The JSON body of the page's next POST to `pathname` with `format`, and the answer it got. */
function nextCall(pathname, format) {
  return page.waitForResponse((r) => {
    const req = r.request();
    if (new URL(r.url()).pathname !== pathname) return false;
    const body = req.postDataJSON ? req.postDataJSON() : null;
    const f = body ? (body.format || 'json') : new URL(r.url()).searchParams.get('format');
    return f === format;
  }, { timeout: LONG }).then(async (r) => ({ body: r.request().postDataJSON(), answer: await r.json(), status: r.status() }));
}

async function shot(name) {
  await page.waitForTimeout(300); // let the canvas finish a pan or zoom
  const file = path.join(shots, `${name}.png`);
  await page.screenshot({ path: file });
  assert.ok(statSync(file).size < 600_000, `${name}.png is ${statSync(file).size} bytes`);
}

const drawn = (view) => page.evaluate((v) => window.silkroute.drawn(v), view);
const noProblems = () => {
  assert.deepEqual(outside, [], 'requests tried to leave the machine');
  assert.deepEqual(problems, [], 'page or console errors');
};
const sum = (xs) => xs.reduce((a, b) => a + b, 0);

before(async () => {
  base = await startServer();
  await waitForHealth(base);
  mkdirSync(shots, { recursive: true });
  userDir = mkdtempSync(path.join(tmpdir(), 'silkroute-chromium-'));
  context = await chromium.launchPersistentContext(userDir, {
    executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true,
    viewport: { width: 1280, height: 800 },
  });
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1') return route.continue();
    outside.push(url.href);
    return route.abort('blockedbyclient');
  });
  page = context.pages()[0] || await context.newPage();
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    if (expectedConsole.some((re) => re.test(m.text()))) return;
    problems.push(`console error: ${m.text()}`);
  });
  await page.goto(`${base}/`);
  await page.evaluate(() => window.silkroute.ready);
});

after(async () => {
  if (context) await context.close();
  if (server && server.exitCode === null) server.kill('SIGTERM');
  if (userDir) rmSync(userDir, { recursive: true, force: true });
});

test('the page draws the Natural Earth basemap with nothing but this service', async () => {
  const n = await page.evaluate(() => {
    let count = 0;
    window.silkroute.map.eachLayer((l) => { if (l.feature && l.feature.type === 'Feature') count += 1; });
    return count;
  });
  // 176 countries (Antarctica left out), in three copies for the antimeridian.
  assert.ok(n >= 3 * 170, `basemap has ${n} country shapes`);
  assert.match(await page.textContent('#data-version'), /network \w+/);
  noProblems();
});

test('a route typed as two places draws a line as long as the service says', async () => {
  // Type, wait for the gazetteer's suggestion, take it.
  for (const [id, typed, want] of [['from', 'Chongq', 'Chongqing, CN'], ['to', 'Duisbu', 'Duisburg, DE']]) {
    await page.locator(`#${id}`).pressSequentially(typed, { delay: 20 });
    await page.waitForSelector(`#${id}-list option[value="${want}"]`, { state: 'attached', timeout: 10_000 });
    await page.fill(`#${id}`, want);
  }
  for (const m of ['road', 'sea', 'air', 'ferry']) await page.uncheck(`input[name=mode][value=${m}]`);
  const call = nextCall('/api/route', 'json');
  await page.click('#plan-go');
  const { body } = await call;
  await page.waitForSelector('#route-totals', { timeout: LONG });
  const answer = await service('/api/route', body);
  const route = answer.routes[0];
  const d = await drawn('plan');
  assert.equal(d.routes.length, 1);
  const legs = d.routes[0].legs;
  // Rail, transfers, and the first and last mile by road (drayage).
  assert.ok(legs.length >= 1 && legs.every((l, i) => l.mode === 'rail' || l.mode === 'transfer'
    || (l.mode === 'road' && (i === 0 || i === legs.length - 1))), legs.map((l) => l.mode).join(','));
  assert.ok(route.legs.filter((l) => l.mode === 'road').every((l) => l.drayage));
  // The drawn legs are the service's legs...
  assert.ok(Math.abs(sum(legs.map((l) => l.distance_km)) - route.distance_km) < 0.01,
    `drawn legs ${sum(legs.map((l) => l.distance_km))} km, service ${route.distance_km} km`);
  // ...and the line on the map is as long (rail lengths are OSM's, measured along more detail than the drawn geometry).
  const geodesic = sum(legs.map((l) => l.geodesic_km));
  assert.ok(Math.abs(geodesic - route.distance_km) / route.distance_km < 0.04,
    `polyline ${geodesic.toFixed(1)} km against ${route.distance_km} km`);
  // Border crossings (with their gauge changes) are markers.
  const borders = d.markers.filter((m) => m.kind === 'border');
  assert.equal(borders.length, route.border_crossings.length);
  assert.ok(route.border_crossings.some((b) => b.curated && b.curated.id === 'alashankou-dostyk'));
  assert.ok(borders.some((m) => m.curated === 'alashankou-dostyk'));
  assert.match(await page.textContent('#route-detail'), /Alashankou/);
  assert.match(await page.textContent('#route-detail'), /gauge change/);
  // How reliable the days are: the service's P10 and P90, as days.
  assert.ok(route.transit_days.varying >= 1);
  assert.match(await page.textContent('#route-spread'), new RegExp(`P10 ${route.transit_days.p10.toFixed(1)} d.*P90 ${route.transit_days.p90.toFixed(1)} d`));
  // …and which durations varied, by name.
  assert.ok((await page.textContent('#route-spread')).includes(route.transit_days.uncertain[0].component.replace(/_/g, ' ')));
  // A crossing's popup gives its figures.
  await page.evaluate(() => {
    const found = [];
    window.silkroute.map.eachLayer((l) => { if (l.meta && l.meta.curated === 'alashankou-dostyk') found.push(l); });
    found[0].openPopup();
    return found.length;
  });
  await page.waitForSelector('.leaflet-popup-content');
  assert.match(await page.textContent('.leaflet-popup-content'), /dwell\s*30\.5 h/);
  await shot('plan');
  await page.evaluate(() => { window.silkroute.map.closePopup(); });
  noProblems();
});

test('the Pareto table has the service\'s rows, and hovering one highlights its line', async () => {
  for (const m of ['road', 'sea', 'air', 'ferry']) await page.check(`input[name=mode][value=${m}]`);
  await page.check('input[name=want][value=pareto]');
  const call = nextCall('/api/route', 'json');
  await page.click('#plan-go');
  const { body } = await call;
  assert.equal(body.pareto, true);
  await page.waitForSelector('#pareto-table', { timeout: LONG });
  const answer = await service('/api/route', body);
  const routes = answer.routes.slice().sort((a, b) => a.duration_h - b.duration_h);
  const rows = await page.$$eval('#pareto-table tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent.trim())));
  assert.equal(rows.length, routes.length);
  assert.ok(rows.length >= 3, `only ${rows.length} routes in the Pareto set`);
  const n0 = (x) => Math.round(x).toLocaleString('en-US');
  rows.forEach((cells, i) => {
    const r = routes[i];
    const chain = [];
    for (const l of r.legs) if (l.mode !== 'transfer' && chain[chain.length - 1] !== l.mode) chain.push(l.mode);
    assert.deepEqual(cells.slice(1), [
      `${(r.duration_h / 24).toFixed(1)} d`, n0(r.cost_usd), n0(r.co2e_kg), n0(r.distance_km), chain.join(' → '),
      r.corridors.length ? r.corridors.map((c) => c.id).join(', ') : '—',
    ], `row ${i + 1}`);
  });
  // Every route is drawn, each with its own legs adding up to its distance.
  const d = await drawn('plan');
  assert.equal(d.routes.length, answer.routes.length);
  for (const dr of d.routes) {
    assert.ok(Math.abs(sum(dr.legs.map((l) => l.distance_km)) - answer.routes[dr.index].distance_km) < 0.01);
  }
  // Hover a sea route: its line is the wide one, the others fade.
  const seaRow = rows.findIndex((c) => c[5].includes('sea'));
  await page.hover(`#pareto-table tbody tr:nth-child(${seaRow + 1})`);
  const hot = Number(await page.getAttribute(`#pareto-table tbody tr:nth-child(${seaRow + 1})`, 'data-i'));
  const h = await drawn('plan');
  for (const r of h.routes) {
    for (const l of r.legs) {
      if (r.index === hot) assert.ok(l.opacity > 0.5 && l.weight >= 4, `hovered route ${hot} leg ${l.leg}`);
      else assert.ok(l.opacity < 0.3, `route ${r.index} not faded`);
    }
  }
  await shot('pareto');
  // Sorting by USD puts the cheapest first.
  await page.click('#pareto-table th button[data-key="usd"]');
  const firstUsd = await page.textContent('#pareto-table tbody tr:first-child td:nth-child(3)');
  assert.equal(firstUsd, n0(Math.min(...routes.map((r) => r.cost_usd))));
  await page.mouse.move(5, 790);
  noProblems();
});

test('errors from the service are shown in words, the map stays', async () => {
  expectedConsole = [/status of 400/];
  await page.check('input[name=want][value=best]');
  await page.fill('#from', 'Colombo');
  await page.fill('#to', 'Duisburg');
  await page.click('#plan-go');
  await page.waitForSelector('#message:not([hidden])', { timeout: 30_000 });
  const text = await page.textContent('#message');
  assert.match(text, /ambiguous/);
  assert.match(text, /Colombo, LK/);
  const basemap = await page.evaluate(() => {
    let n = 0;
    window.silkroute.map.eachLayer((l) => { if (l.feature) n += 1; });
    return n;
  });
  assert.ok(basemap > 500);
  expectedConsole = [];
  noProblems();
});

test('a trans-Pacific sea route is split at ±180° by the service and drawn as one line', async () => {
  for (const m of ['rail', 'road', 'air', 'ferry']) await page.uncheck(`input[name=mode][value=${m}]`);
  await page.check('input[name=mode][value=sea]');
  await page.check('input[name=want][value=best]');
  await page.fill('#from', 'CNSHA');
  await page.fill('#to', 'USLAX');
  const call = nextCall('/api/route', 'json');
  await page.click('#plan-go');
  const { body } = await call;
  await page.waitForSelector('#route-totals', { timeout: LONG });
  const answer = await service('/api/route', body);
  const route = answer.routes[0];
  const geo = await service('/api/route', { ...body, format: 'geojson' });
  const sea = geo.features.filter((f) => f.properties.mode === 'sea');
  assert.ok(sea.some((f) => f.geometry.type === 'MultiLineString'),
    `sea legs: ${sea.map((f) => f.geometry.type).join(', ')}`);
  const d = await drawn('plan');
  assert.equal(d.routes.length, 1);
  for (const l of d.routes[0].legs) assert.ok(l.max_lon_jump < 90, `leg ${l.leg} jumps ${l.max_lon_jump}° between two points`);
  const geodesic = sum(d.routes[0].legs.map((l) => l.geodesic_km));
  assert.ok(Math.abs(geodesic - route.distance_km) / route.distance_km < 0.01,
    `polyline ${geodesic.toFixed(1)} km against ${route.distance_km} km`);
  noProblems();
});

test('red-sea-2024 redraws Shanghai → Rotterdam without Suez, round the Cape', async () => {
  await page.click('#tab-break');
  await page.selectOption('#scenario', 'red-sea-2024');
  const json = nextCall('/api/scenario/red-sea-2024', 'json');
  const geo = nextCall('/api/scenario/red-sea-2024', 'geojson');
  await page.click('#break-go');
  const [{ answer }, { answer: lanes }] = await Promise.all([json, geo]);
  await page.waitForSelector('#break-table', { timeout: LONG });
  const i = answer.pairs.findIndex((p) => p.from === 'Shanghai, CN' && p.to === 'Rotterdam, NL');
  assert.ok(i >= 0);
  assert.ok(answer.pairs[i].baseline.passages.includes('suez'));
  assert.ok(!answer.pairs[i].scenario.passages.includes('suez'));
  const lane = (await drawn('break')).routes.find((r) => r.index === i);
  const before = lane.legs.find((l) => l.variant === 'baseline');
  const afterLine = lane.legs.find((l) => l.variant === 'scenario');
  assert.ok(before.passages.split(',').includes('suez'), `drawn before: ${before.passages}`);
  assert.ok(!afterLine.passages.split(',').includes('suez'), `drawn after: ${afterLine.passages}`);
  // The Asia – North Europe lane sails a ULCV, which does not fit Panama
  // (data/vessels.toml): the detour is round the Cape of Good Hope, one line.
  assert.ok(answer.pairs[i].scenario.passages.includes('south_africa'), answer.pairs[i].scenario.passages.join(','));
  assert.ok(!answer.pairs[i].scenario.passages.includes('panama'));
  const feature = lanes.features.find((f) => f.properties.pair === i && f.properties.variant === 'scenario');
  assert.ok(feature, 'the scenario line of the pair is in the GeoJSON');
  assert.ok(afterLine.max_lon_jump < 90, `the drawn line jumps ${afterLine.max_lon_jump}° between two points`);
  assert.ok(Math.abs(afterLine.geodesic_km - answer.pairs[i].scenario.distance_km) / answer.pairs[i].scenario.distance_km < 0.01);
  // The table says what changed, in days and USD.
  const row = (await page.$$eval('#break-table tbody tr', (trs) => trs.map((tr) => tr.textContent)))
    .find((t) => t.includes('Shanghai, CN → Rotterdam, NL'));
  assert.match(row, /rerouted/);
  assert.ok(row.includes(`+${(answer.pairs[i].delta.duration_h / 24).toFixed(1)}`), row);
  assert.equal((await drawn('break')).routes.length, answer.pairs.length);
  await shot('break');
  noProblems();
});

test('closing Suez and Bab-el-Mandeb by clicking gives the named scenario\'s answer', async () => {
  const named = await page.textContent('#break-totals');
  for (const id of ['suez', 'babalmandab']) {
    const [x, y] = await page.evaluate((pid) => {
      const s = window.silkroute;
      let at = null;
      s.map.eachLayer((l) => { if (l.getTooltip && l.getTooltip() && l.passageId === pid) at = l.getLatLng(); });
      const p = s.map.latLngToContainerPoint(at);
      return [p.x, p.y];
    }, id);
    const box = await page.locator('#map').boundingBox();
    await page.mouse.click(box.x + x, box.y + y);
  }
  assert.equal(await page.inputValue('#scenario'), 'custom');
  const toml = await page.textContent('#scenario-toml');
  assert.match(toml, /close_passages = \["suez", "babalmandab"\]/);
  const call = nextCall('/api/scenario/my-closures', 'json');
  await page.click('#break-go');
  const { body } = await call;
  assert.equal(body.scenario_toml, toml);
  await page.waitForFunction(() => /Closed on the map/.test(document.querySelector('#break-result h2').textContent), null, { timeout: LONG });
  assert.equal(await page.textContent('#break-totals'), named);
  noProblems();
});

test('the criticality layer draws every element the service ranked', async () => {
  await page.click('#tab-crit');
  const call = nextCall('/api/criticality', 'geojson');
  await page.click('#crit-go');
  const { answer, body } = await call;
  assert.ok(body.pairs.length >= 400, `${body.pairs.length} pairs`);
  await page.waitForSelector('#crit-table', { timeout: LONG });
  const d = await drawn('crit');
  assert.ok(answer.features.length >= 10);
  assert.equal(d.elements, answer.features.length);
  assert.deepEqual(d.ids.slice().sort(), answer.features.map((f) => f.properties.id).sort());
  assert.equal(await page.locator('#crit-table tbody tr').count(), answer.features.length);
  const top = answer.features.reduce((a, b) => (a.properties.rank < b.properties.rank ? a : b));
  assert.match(await page.textContent('#crit-table tbody tr:first-child'), new RegExp(top.properties.name));
  await shot('criticality');
  noProblems();
});

test('the corridors are drawn with their published figures beside the engine\'s', async () => {
  const json = nextCall('/api/corridors', 'json');
  const geo = nextCall('/api/corridors', 'geojson');
  await page.click('#tab-corr');
  const [{ answer }, { answer: lines }] = await Promise.all([json, geo]);
  await page.waitForSelector('#corr-table', { timeout: LONG });
  const rows = await page.$$eval('#corr-table tbody tr', (trs) => trs.map((tr) => tr.textContent));
  assert.equal(rows.length, answer.corridors.length);
  const western = answer.corridors.find((c) => c.id === 'china-europe-western');
  const row = rows.find((t) => t.includes(western.name));
  assert.ok(row.includes(`${western.published.transit_days.min.toFixed(1)}–${western.published.transit_days.max.toFixed(1)}`), row);
  assert.ok(row.includes((western.engine.duration_h / 24).toFixed(1)), row);
  const routed = new Set(lines.features.filter((f) => !f.properties.role).map((f) => f.properties.route));
  assert.equal((await drawn('corr')).routes.length, routed.size);
  await shot('corridors');
  noProblems();
});

test('the controls work from the keyboard', async () => {
  await page.focus('#tab-corr');
  await page.keyboard.press('Home');
  assert.equal(await page.getAttribute('#tab-plan', 'aria-selected'), 'true');
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.getAttribute('#tab-break', 'aria-selected'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'tab-break');
  await page.keyboard.press('ArrowLeft');
  // Tab reaches the first field of the panel.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'from');
  noProblems();
});

test('the page is usable at phone width', async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.click('#tab-plan');
  await page.waitForTimeout(300);
  const m = await page.locator('#map').boundingBox();
  assert.ok(m.width >= 380 && m.height >= 300, `map ${m.width}×${m.height}`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page ${overflow} px wider than the screen`);
  await page.locator('#plan-go').scrollIntoViewIfNeeded();
  assert.ok(await page.locator('#plan-go').isVisible());
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.locator('.layout').evaluate((el) => { el.scrollTop = 0; });
  await shot('phone');
  noProblems();
});

test('no request left the machine and nothing logged an error', () => {
  noProblems();
});
