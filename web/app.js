// silkroute map page: plan a shipment, see the trade-offs, break the
// network, see what matters most, compare the corridors. Plain JavaScript
// over Leaflet (no tile layer: the Natural Earth basemap is drawn from the
// vendored world-atlas) and this service's own /api/ endpoints; nothing is
// loaded from anywhere else.
'use strict';

(() => {
  // ---------------------------------------------------------------- data
  const MODE_COLOURS = {
    rail: '#0b5cad', road: '#b34700', sea: '#00716f', air: '#7b1fa2',
    ferry: '#b0125b', transfer: '#555555',
  };
  const PALETTE = ['#0b5cad', '#b34700', '#00716f', '#7b1fa2', '#b0125b', '#2e7d32',
    '#5d4037', '#c2185b', '#00838f', '#6a1b9a', '#ef6c00', '#283593'];
  // Where each marnet passage is (approximate centre, for markers only).
  const PASSAGES = {
    suez: { name: 'Suez Canal', lat: 30.58, lon: 32.33 },
    babalmandab: { name: 'Bab-el-Mandeb', lat: 12.58, lon: 43.33 },
    malacca: { name: 'Strait of Malacca', lat: 3.64, lon: 100.18 },
    panama: { name: 'Panama Canal', lat: 9.08, lon: -79.68 },
    ormuz: { name: 'Strait of Hormuz', lat: 26.47, lon: 56.66 },
    bosporus: { name: 'Bosporus', lat: 41.13, lon: 29.06 },
    dardanelles: { name: 'Dardanelles', lat: 40.2, lon: 26.4 },
    gibraltar: { name: 'Strait of Gibraltar', lat: 35.97, lon: -5.5 },
    sunda: { name: 'Sunda Strait', lat: -6.0, lon: 105.85 },
    south_africa: { name: 'Cape of Good Hope', lat: -34.9, lon: 19.5 },
    chili: { name: 'Cape Horn / Magellan', lat: -55.5, lon: -67.3 },
    northwest: { name: 'Northwest Passage', lat: 74.3, lon: -95.0 },
    bering: { name: 'Bering Strait', lat: 65.9, lon: -169.0 },
  };
  // data/scenarios/od-eurasia.csv: Asia–Europe lanes.
  const OD_EURASIA = [
    ['Shanghai', 'Rotterdam'], ['Shanghai', 'Hamburg'], ['Shenzhen', 'Piraeus'],
    ['Singapore', 'Rotterdam'], ['Qingdao', 'Genoa'], ['Mumbai', 'Rotterdam'],
    ['Chongqing', 'Duisburg'], ["Xi'an", 'Hamburg'], ['Yiwu', 'Madrid'],
    ['Chengdu', 'Lodz'], ['Busan', 'Antwerp'], ['Ho Chi Minh City', 'Barcelona, ES'],
    ['Dubai', 'Shanghai'], ['Jakarta', 'Rotterdam'], ['Karachi', 'Hamburg'],
  ];
  // Belt and Road cities from data/scenarios/bri-cities-100.csv, all pairs.
  const BRI_CITIES = [
    'Chongqing, CN', "Xi'an, CN", 'Shanghai, CN', 'Urumqi, CN', 'Kunming, CN',
    'Vientiane, LA', 'Bangkok, TH', 'Singapore, SG', 'Jakarta, ID', 'Colombo, LK',
    'Karachi, PK', 'Gwadar, PK', 'Mumbai, IN', 'Almaty, KZ', 'Tashkent, UZ',
    'Baku, AZ', 'Tehran, IR', 'Istanbul, TR', 'Dubai, AE', 'Moscow, RU',
    'Warsaw, PL', 'Duisburg, DE', 'Rotterdam, NL', 'Athens, GR', 'Djibouti, DJ',
  ];

  // ------------------------------------------------------------- helpers
  const $ = (id) => document.getElementById(id);
  const ESC = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
  const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ESC[c]);
  const num = (x, d = 0) => (x == null || Number.isNaN(x) ? '—'
    : Number(x).toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }));
  const days = (h) => `${num(h / 24, 1)} d`;
  const signed = (x, d = 0) => (x == null ? '—' : `${x > 0 ? '+' : ''}${num(x, d)}`);
  const swatch = (mode) => `<span class="swatch" style="background:${MODE_COLOURS[mode] || '#777'}"></span>`;
  const html = (el, s) => { el.innerHTML = s; return el; };

  class ServiceError extends Error {
    constructor(message, code) { super(message); this.code = code; }
  }

  /** A call to this service: the JSON answer, or a ServiceError whose
   * message is the service's own words. */
  async function api(path, body) {
    let r;
    try {
      r = await fetch(path, body === undefined ? {} : {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
      });
    } catch (e) {
      throw new ServiceError(`The service did not answer (${e.message}). Is silkroute serve still running?`);
    }
    let v;
    try { v = await r.json(); } catch {
      throw new ServiceError(`The service answered ${r.status} ${r.statusText} without a JSON body.`);
    }
    if (!r.ok || (v.code && v.code !== 'Ok')) {
      throw new ServiceError(v.message || `The service answered ${r.status} ${r.statusText}.`, v.code);
    }
    return v;
  }

  function showMessage(text, kind = 'error') {
    const m = $('message');
    m.textContent = text;
    m.className = kind === 'error' ? '' : kind;
    m.hidden = false;
  }
  function clearMessage() { $('message').hidden = true; $('message').textContent = ''; }
  function failed(e) {
    const code = e && e.code ? ` (${e.code})` : '';
    showMessage(e instanceof ServiceError ? `${e.message}${code}` : `Something went wrong on this page: ${e && e.message}`);
  }

  let busyCount = 0;
  /** Runs `work` with its button disabled and a status line saying what is
   * happening; errors become the message in words. */
  async function busy(button, text, work) {
    clearMessage();
    busyCount += 1;
    const b = $('busy');
    b.textContent = text;
    b.hidden = false;
    if (button) button.disabled = true;
    try {
      return await work();
    } catch (e) {
      failed(e);
      return undefined;
    } finally {
      busyCount -= 1;
      if (button) button.disabled = false;
      if (busyCount === 0) b.hidden = true;
    }
  }

  // --------------------------------------------------------------- map
  const map = L.map('map', {
    preferCanvas: true, worldCopyJump: true, minZoom: 1, maxZoom: 12,
    zoomSnap: 0.25, zoomDelta: 0.5, keyboard: true,
  }).setView([35, 60], 3);
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution('Basemap: Natural Earth (public domain) via world-atlas · Leaflet');

  const dot = (fill, stroke) => `<span class="swatch" style="background:${fill};border:2px solid ${stroke};height:.6rem;width:.6rem;border-radius:50%"></span>`;
  const MARKERS = `<div>${dot('#fff', '#a4161a')}border crossing</div><div>${dot('#ffb300', '#5d4037')}gauge change</div><div>${dot('#9e9e9e', '#222')}transfer point</div><div>${dot('#fff', '#00716f')}sea passage</div>`;
  const LEGENDS = {
    plan: ['rail', 'road', 'sea', 'air', 'ferry', 'transfer'].map((m) => `<div>${swatch(m)}${m}</div>`).join('') + MARKERS,
    break: `<div><span class="swatch" style="background:repeating-linear-gradient(90deg,#37474f 0 4px,transparent 4px 7px)"></span>before</div>
      <div><span class="swatch" style="background:#c62828"></span>after: rerouted</div><div><span class="swatch" style="background:#ef6c00"></span>after: delayed</div>
      <div><span class="swatch" style="background:#1b5e20"></span>after: unchanged</div><div>${dot('#ffeb3b', '#000')}cut off</div><div>${dot('#fff', '#00716f')}passage (click to close)</div>`,
    crit: `<div>${dot('#ef5350', '#a4161a')}size: loss when closed</div><div>${dot('#ef5350', '#000')}cuts pairs off</div>`,
    corr: `<div>colour: corridor (see the table)</div>${MARKERS}`,
  };
  const legend = L.control({ position: 'bottomright' });
  legend.onAdd = () => L.DomUtil.create('div', 'legend');
  const setLegend = (view) => { html(legend.getContainer(), LEGENDS[view] || ''); };
  legend.addTo(map);

  let countries = []; // {iso2, name, rings: [[[lon,lat],...]], bbox}
  // The basemap has its own pane and SVG renderer below the routes'
  // canvas, so highlighting a route redraws only the routes.
  map.createPane('basemap').style.zIndex = 250;
  const basemapRenderer = L.svg({ pane: 'basemap', padding: 0.5 });
  const basemap = L.layerGroup().addTo(map);
  const closedCountryLayer = L.layerGroup().addTo(map);

  async function loadBasemap() {
    const [topo, iso2] = await Promise.all([
      fetch('/web/vendor/world-atlas/countries-110m.json').then((r) => r.json()),
      fetch('/web/iso2.json').then((r) => r.json()),
    ]);
    const fc = topojson.feature(topo, topo.objects.countries);
    // No freight goes to Antarctica, whose ring runs round the pole; rings
    // that cross the antimeridian (Russia, Fiji) are made continuous, so no
    // edge runs across the whole map (the ±360° copies fill the other side).
    fc.features = fc.features.filter((f) => f.id !== '010');
    for (const f of fc.features) {
      const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
      for (const poly of polys) {
        for (const ring of poly) {
          for (let i = 1; i < ring.length; i += 1) {
            ring[i] = [ring[i][0] + 360 * Math.round((ring[i - 1][0] - ring[i][0]) / 360), ring[i][1]];
          }
        }
      }
    }
    countries = fc.features.map((f) => {
      const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
      let w = Infinity, s = 90, e = -Infinity, n = -90;
      for (const p of polys) for (const [x, y] of p[0]) { w = Math.min(w, x); e = Math.max(e, x); s = Math.min(s, y); n = Math.max(n, y); }
      return { iso2: iso2[f.id] || null, name: f.properties.name, polys, bbox: [w, s, e, n], feature: f };
    });
    // Three copies, so a route drawn across the antimeridian (longitudes
    // past ±180) still has land under it.
    for (const shift of [-360, 0, 360]) {
      L.geoJSON(fc, {
        interactive: false, pane: 'basemap', renderer: basemapRenderer,
        coordsToLatLng: (c) => L.latLng(c[1], c[0] + shift),
        style: { color: '#a9a293', weight: 0.6, fillColor: '#f3f0e8', fillOpacity: 1 },
      }).addTo(basemap);
    }
  }

  function pointInRing(x, y, ring) {
    let inside = false;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i]; const [xj, yj] = ring[j];
      if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  }
  function countryAt(latlng) {
    const x0 = ((latlng.lng + 540) % 360) - 180; const y = latlng.lat;
    return countries.find((c) => [x0, x0 + 360, x0 - 360].some((x) => x >= c.bbox[0] && x <= c.bbox[2] && y >= c.bbox[1] && y <= c.bbox[3]
      && c.polys.some((p) => pointInRing(x, y, p[0]) && !p.slice(1).some((h) => pointInRing(x, y, h)))));
  }

  // Longitudes: the API's GeoJSON splits lines at ±180 (RFC 7946). For
  // display each route is unwrapped from its origin (every point within
  // 180° of the one before it), so a trans-Pacific lane is one continuous
  // line that leaves its origin where it is and runs on into the next copy
  // of the world (the basemap is drawn three times for that).
  // A long straight segment (a flight, an open-sea hop) is drawn along its
  // great circle, which is what its length measures.
  const RAD = Math.PI / 180;
  const toVec = (lon, lat) => [Math.cos(lat * RAD) * Math.cos(lon * RAD), Math.cos(lat * RAD) * Math.sin(lon * RAD), Math.sin(lat * RAD)];
  function densify(part) {
    const out = [];
    for (let i = 0; i < part.length; i += 1) {
      if (i > 0) {
        const a = toVec(...part[i - 1]); const b = toVec(...part[i]);
        const omega = Math.acos(Math.min(1, Math.max(-1, a[0] * b[0] + a[1] * b[1] + a[2] * b[2])));
        const n = Math.floor(omega / (2 * RAD));
        for (let k = 1; k < n; k += 1) {
          const t = k / n; const sa = Math.sin((1 - t) * omega) / Math.sin(omega); const sb = Math.sin(t * omega) / Math.sin(omega);
          const v = [0, 1, 2].map((j) => sa * a[j] + sb * b[j]);
          out.push([Math.atan2(v[1], v[0]) / RAD, Math.atan2(v[2], Math.hypot(v[0], v[1])) / RAD]);
        }
      }
      out.push(part[i]);
    }
    return out;
  }
  /** legs: [[ [[lon,lat],...] part, ... ], ...] -> [[[lat,lon],...], ...] */
  function unwrapLegs(legs) {
    let prev = null;
    const out = legs.map((parts) => {
      const pts = [];
      for (const part of parts) {
        for (const [lon, lat] of densify(part)) {
          const x = prev === null ? lon : lon + 360 * Math.round((prev - lon) / 360);
          const last = pts[pts.length - 1];
          if (!(last && last[0] === lat && Math.abs(last[1] - x) < 1e-9)) pts.push([lat, x]);
          prev = x;
        }
      }
      return pts;
    });
    return out;
  }
  const partsOf = (g) => (g.type === 'LineString' ? [g.coordinates]
    : g.type === 'MultiLineString' ? g.coordinates : []);
  /** The copy of (lat, lon) nearest the drawn points `near` ([lat, lon]). */
  function placeNear(lat, lon, near) {
    if (!near.length) return [lat, lon];
    const step = Math.max(1, Math.floor(near.length / 200));
    let best = lon; let bestD = Infinity;
    for (let k = -2; k <= 2; k += 1) {
      const x = lon + 360 * k;
      for (let i = 0; i < near.length; i += step) {
        const d = Math.abs(near[i][0] - lat) + Math.abs(near[i][1] - x);
        if (d < bestD) { bestD = d; best = x; }
      }
    }
    return [lat, best];
  }
  function geodesicKm(latlngs) {
    let m = 0;
    for (let i = 1; i < latlngs.length; i += 1) m += L.latLng(latlngs[i - 1]).distanceTo(L.latLng(latlngs[i]));
    return m / 1000;
  }
  function maxLonJump(latlngs) {
    let j = 0;
    for (let i = 1; i < latlngs.length; i += 1) j = Math.max(j, Math.abs(latlngs[i][1] - latlngs[i - 1][1]));
    return j;
  }
  function fitTo(layers) {
    const b = L.latLngBounds([]);
    for (const l of layers) if (l.getBounds) b.extend(l.getBounds()); else if (l.getLatLng) b.extend(l.getLatLng());
    if (b.isValid()) map.fitBounds(b, { padding: [30, 30], maxZoom: 7 });
  }

  // -------------------------------------------------------------- views
  const views = {}; // name -> {layer, onShow, onMapClick}
  let current = 'plan';
  const TABS = ['plan', 'break', 'crit', 'corr'];
  function show(name) {
    current = name;
    for (const t of TABS) {
      const tab = $(`tab-${t}`);
      const on = t === name;
      tab.setAttribute('aria-selected', String(on));
      tab.tabIndex = on ? 0 : -1;
      $(`panel-${t}`).hidden = !on;
      const v = views[t];
      if (v && v.layer) { if (on) v.layer.addTo(map); else v.layer.remove(); }
    }
    clearMessage();
    setLegend(name);
    if (views[name] && views[name].onShow) views[name].onShow();
    history.replaceState(null, '', `#${name}`);
  }
  for (const t of TABS) {
    const tab = $(`tab-${t}`);
    tab.addEventListener('click', () => show(t));
    tab.addEventListener('keydown', (e) => {
      const i = TABS.indexOf(t);
      let j = null;
      if (e.key === 'ArrowRight') j = (i + 1) % TABS.length;
      if (e.key === 'ArrowLeft') j = (i + TABS.length - 1) % TABS.length;
      if (e.key === 'Home') j = 0;
      if (e.key === 'End') j = TABS.length - 1;
      if (j !== null) { e.preventDefault(); show(TABS[j]); $(`tab-${TABS[j]}`).focus(); }
    });
  }
  map.on('click', (e) => { const v = views[current]; if (v && v.onMapClick) v.onMapClick(e); });

  /** A sortable table: columns [{key, label, num, fmt}], rows of objects
   * with `_i` (the route/pair/element index). Hover and focus call
   * onHot(i), click and Enter onPick(i). */
  function sortableTable(container, columns, rows, { onHot, onPick, sortKey, caption }) {
    let key = sortKey || null; let dir = 1;
    const table = document.createElement('table');
    const render = () => {
      const sorted = rows.slice();
      if (key) {
        const col = columns.find((c) => c.key === key);
        const val = col.sort || ((r) => r[key]);
        sorted.sort((a, b) => {
          const x = val(a); const y = val(b);
          if (x == null) return 1; if (y == null) return -1;
          return (typeof x === 'number' ? x - y : String(x).localeCompare(String(y))) * dir;
        });
      }
      html(table, `${caption ? `<caption class="muted">${esc(caption)}</caption>` : ''}<thead><tr>${columns.map((c) => {
        const sort = c.key === key ? (dir > 0 ? 'ascending' : 'descending') : 'none';
        return `<th class="${c.num ? 'num' : ''}" aria-sort="${sort}" scope="col"><button type="button" data-key="${c.key}">${esc(c.label)}</button></th>`;
      }).join('')}</tr></thead><tbody>${sorted.map((r) => `<tr tabindex="0" data-i="${r._i}">${columns.map((c) => `<td class="${c.num ? 'num' : ''}">${c.fmt ? c.fmt(r) : esc(r[c.key])}</td>`).join('')}</tr>`).join('')}</tbody>`);
    };
    table.addEventListener('click', (e) => {
      const b = e.target.closest('th button');
      if (b) {
        dir = key === b.dataset.key ? -dir : 1;
        key = b.dataset.key;
        render();
        table.querySelector(`th button[data-key="${key}"]`).focus();
        return;
      }
      const tr = e.target.closest('tbody tr');
      if (tr && onPick && !e.target.closest('button')) onPick(Number(tr.dataset.i));
    });
    const hot = (e) => { const tr = e.target.closest('tbody tr'); if (tr && onHot) onHot(Number(tr.dataset.i)); };
    table.addEventListener('mouseover', hot);
    table.addEventListener('focusin', hot);
    table.addEventListener('mouseleave', () => onHot && onHot(null));
    table.addEventListener('keydown', (e) => {
      const tr = e.target.closest('tbody tr');
      if (tr && e.key === 'Enter' && onPick) { e.preventDefault(); onPick(Number(tr.dataset.i)); }
      if (tr && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
        e.preventDefault();
        const next = e.key === 'ArrowDown' ? tr.nextElementSibling : tr.previousElementSibling;
        if (next) next.focus();
      }
    });
    render();
    container.appendChild(table);
    return table;
  }
  const markRows = (table, cls, i) => {
    if (!table) return;
    for (const tr of table.querySelectorAll('tbody tr')) tr.classList.toggle(cls, i !== null && Number(tr.dataset.i) === i);
  };

  /** Border, transfer and passage markers of one explained route. */
  function routeMarkers(route, near, layer, { closable } = {}) {
    const out = [];
    for (const b of route.border_crossings || []) {
      const gauge = b.gauge_change;
      const m = L.circleMarker(placeNear(b.lat, b.lon, near), {
        radius: gauge ? 7 : 5, color: gauge ? '#5d4037' : '#a4161a', weight: 2,
        fillColor: gauge ? '#ffb300' : '#ffffff', fillOpacity: 1, bubblingMouseEvents: false,
      });
      m.meta = { kind: 'border', curated: b.curated && b.curated.id };
      m.bindPopup(() => `<h4>${esc(b.name)}</h4><table>
        <tr><th>dwell</th><td class="num">${num(b.dwell_h, 1)} h</td></tr>
        <tr><th>fee</th><td class="num">${num(b.fee_usd)} USD</td></tr>
        <tr><th>time here</th><td class="num">${num(b.duration_h, 1)} h</td></tr>
        <tr><th>cost here</th><td class="num">${num(b.cost_usd)} USD</td></tr>
        <tr><th>customs</th><td>${b.customs ? 'yes' : 'no (same customs union)'}</td></tr>
        ${gauge ? `<tr><th>gauge change</th><td>${gauge.from_mm} → ${gauge.to_mm} mm (${esc(gauge.handling)})</td></tr>` : ''}
        </table>${b.curated ? `<p class="muted">${esc(b.curated.basis)}</p>` : '<p class="muted">cost-model defaults</p>'}
        ${closable ? closeButton(b.curated ? { kind: 'crossing', key: b.curated.id, label: b.curated.name }
    : { kind: 'area', key: box(b.lat, b.lon), label: `border near ${b.name}` }) : ''}`);
      out.push(m);
    }
    for (const leg of route.legs || []) {
      if (leg.mode !== 'transfer') continue;
      const m = L.circleMarker(placeNear(leg.from.lat, leg.from.lon, near), {
        radius: 4, color: '#222', weight: 1.5, fillColor: '#9e9e9e', fillOpacity: 1, bubblingMouseEvents: false,
      });
      m.meta = { kind: 'transfer' };
      const locode = /\(([A-Z]{2}[A-Z2-9]{3})\)/.exec(leg.from.name || '');
      m.bindPopup(() => `<h4>Transfer at ${esc(leg.from.name)}</h4><table>
        <tr><th>time</th><td class="num">${num(leg.duration_h, 1)} h</td></tr>
        <tr><th>cost</th><td class="num">${num(leg.cost_usd)} USD</td></tr>
        <tr><th>CO2e</th><td class="num">${num(leg.co2e_kg)} kg</td></tr></table>
        ${closable && leg.from.kind === 'seaport' ? closeButton({ kind: 'port', key: locode ? locode[1] : `${leg.from.lat},${leg.from.lon}`, label: leg.from.name }) : ''}`);
      out.push(m);
    }
    const passages = new Set();
    for (const leg of route.legs || []) for (const p of leg.passages || []) passages.add(p);
    for (const p of passages) {
      const at = PASSAGES[p];
      if (!at) continue;
      const m = L.circleMarker(placeNear(at.lat, at.lon, near), {
        radius: 6, color: '#00716f', weight: 3, fillColor: '#ffffff', fillOpacity: 0.9, bubblingMouseEvents: false,
      });
      m.meta = { kind: 'passage', id: p };
      const leg = route.legs.find((l) => (l.passages || []).includes(p));
      m.bindPopup(() => `<h4>${esc(at.name)} (${esc(p)})</h4><p>on the ${esc(leg.mode)} leg ${esc(leg.from.name)} → ${esc(leg.to.name)}, ${num(leg.distance_km)} km, ${days(leg.duration_h)}</p>
        ${closable ? closeButton({ kind: 'passage', key: p, label: at.name }) : ''}`);
      out.push(m);
    }
    for (const m of out) m.addTo(layer);
    return out;
  }
  const box = (lat, lon) => [lon - 0.08, lat - 0.08, lon + 0.08, lat + 0.08].map((x) => Math.round(x * 1000) / 1000).join(',');
  const closeButton = (c) => `<button type="button" class="small close-it" data-kind="${esc(c.kind)}" data-key="${esc(c.key)}" data-label="${esc(c.label)}">Close it in “Break the network”</button>`;
  map.on('popupopen', (e) => {
    for (const b of e.popup.getElement().querySelectorAll('button.close-it')) {
      b.addEventListener('click', () => {
        addClosure({ kind: b.dataset.kind, key: b.dataset.key, label: b.dataset.label });
        map.closePopup();
        if (current !== 'break') showMessage(`Closed ${b.dataset.label}: see “Break the network”.`, 'info');
      });
    }
  });

  // Draws route features of an API GeoJSON answer: one polyline per leg,
  // coloured by mode, grouped by route index. Returns
  // [{index, legs: [polyline], points: [[lat, lon]]}].
  function drawRoutes(geo, layer, style) {
    const byRoute = new Map();
    for (const f of geo.features) {
      const p = f.properties;
      if (p.role || !(f.geometry.type === 'LineString' || f.geometry.type === 'MultiLineString')) continue;
      if (!byRoute.has(p.route)) byRoute.set(p.route, []);
      byRoute.get(p.route).push(f);
    }
    const out = [];
    for (const [index, feats] of [...byRoute.entries()].sort((a, b) => a[0] - b[0])) {
      feats.sort((a, b) => a.properties.leg - b.properties.leg);
      const lines = unwrapLegs(feats.map((f) => partsOf(f.geometry)));
      const legs = feats.map((f, k) => {
        const p = f.properties;
        const poly = L.polyline(lines[k], style(p, index));
        poly.meta = { route: index, leg: p.leg, mode: p.mode, distance_km: p.distance_km };
        poly.baseStyle = style(p, index);
        poly.bindTooltip(`${esc(p.mode)}: ${esc(p.from)} → ${esc(p.to)}<br>${num(p.distance_km)} km · ${days(p.duration_h)} · ${num(p.cost_usd)} USD · ${num(p.co2e_kg)} kg CO2e`, { sticky: true });
        poly.addTo(layer);
        return poly;
      });
      out.push({ index, legs, points: lines.flat() });
    }
    return out;
  }
  const legStyle = (p) => ({
    color: MODE_COLOURS[p.mode] || '#777', weight: p.mode === 'transfer' ? 2 : 4,
    opacity: 0.9, dashArray: p.mode === 'transfer' ? '3 4' : null,
  });
  function emphasise(drawn, i, dimOthers = true) {
    for (const r of drawn) {
      const on = i === null || r.index === i;
      for (const l of r.legs) {
        l.setStyle({
          ...l.baseStyle,
          opacity: on ? (l.baseStyle.opacity ?? 0.9) : (dimOthers ? 0.15 : l.baseStyle.opacity),
          weight: i !== null && r.index === i ? l.baseStyle.weight + 3 : l.baseStyle.weight,
        });
        if (i !== null && r.index === i) l.bringToFront();
      }
    }
  }
  const modeChain = (route) => {
    const out = [];
    for (const l of route.legs) if (l.mode !== 'transfer' && out[out.length - 1] !== l.mode) out.push(l.mode);
    return out;
  };
  const corridorOf = (route) => (route.corridors && route.corridors.length ? route.corridors.map((c) => c.id).join(', ') : '—');

  // ------------------------------------------------------------ plan view
  const plan = { layer: L.layerGroup(), markers: L.layerGroup(), drawn: [], answer: null, geo: null, table: null, selected: null, pick: null, ends: L.layerGroup() };
  plan.markers.addTo(plan.layer);
  plan.ends.addTo(plan.layer);
  views.plan = plan;

  async function suggest(input) {
    const q = input.value.trim();
    const list = $(input.getAttribute('list'));
    if (q.length < 2 || /^-?\d+(\.\d+)?\s*,\s*-?\d+(\.\d+)?$/.test(q)) { list.innerHTML = ''; return; }
    try {
      const v = await api(`/api/places?q=${encodeURIComponent(q)}&limit=8`);
      if (input.value.trim() !== q) return;
      html(list, v.places.map((p) => `<option value="${esc(p.text)}">${esc(p.name)} · ${esc(p.kind)} · ${esc(p.country || '')}</option>`).join(''));
    } catch (e) { /* suggestions are a help; planning reports errors */ }
  }
  for (const id of ['from', 'to']) {
    let timer = null;
    $(id).addEventListener('input', (e) => { clearTimeout(timer); timer = setTimeout(() => suggest(e.target), 120); });
  }
  for (const b of document.querySelectorAll('button.pick')) {
    b.addEventListener('click', () => {
      const on = b.getAttribute('aria-pressed') !== 'true';
      for (const o of document.querySelectorAll('button.pick')) o.setAttribute('aria-pressed', 'false');
      b.setAttribute('aria-pressed', String(on));
      plan.pick = on ? b.dataset.target : null;
      if (on) showMessage(`Click the map to set the ${b.dataset.target === 'from' ? 'origin' : 'destination'}.`, 'info');
    });
  }
  plan.onMapClick = (e) => {
    const target = plan.pick || ($('from').value.trim() === '' ? 'from' : ($('to').value.trim() === '' ? 'to' : null));
    if (!target) return;
    const lng = ((e.latlng.lng + 540) % 360) - 180;
    $(target).value = `${e.latlng.lat.toFixed(4)},${lng.toFixed(4)}`;
    for (const o of document.querySelectorAll('button.pick')) o.setAttribute('aria-pressed', 'false');
    plan.pick = null;
    clearMessage();
    L.circleMarker(e.latlng, { radius: 6, color: '#13293d', fillColor: target === 'from' ? '#4caf50' : '#e53935', fillOpacity: 1 })
      .bindTooltip(target === 'from' ? 'origin' : 'destination').addTo(plan.ends);
  };
  $('cargo').addEventListener('change', () => { $('tonnes').hidden = $('cargo').value !== 'tonnes'; });
  const list = (s) => s.split(',').map((x) => x.trim()).filter(Boolean);

  function planBody() {
    const modes = [...document.querySelectorAll('input[name=mode]:checked')].map((c) => c.value);
    const want = document.querySelector('input[name=want]:checked').value;
    const cargo = $('cargo').value === 'tonnes' ? `tonnes:${$('tonnes').value}` : $('cargo').value;
    const body = {
      from: $('from').value.trim(), to: $('to').value.trim(), modes: modes.join(','),
      optimize: $('optimize').value, cargo, avoid: list($('avoid').value), via: list($('via').value),
    };
    if ($('corridor').value) body.corridor = $('corridor').value;
    if (want === 'pareto') body.pareto = true;
    if (want === 'alternatives') body.alternatives = 3;
    return body;
  }

  $('plan-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const body = planBody();
    const missing = [!body.from && 'an origin', !body.to && 'a destination', !body.modes && 'at least one mode'].filter(Boolean);
    if (missing.length) { showMessage(`Choose ${missing.join(' and ')} first.`); return; }
    const what = body.pareto ? 'Finding the trade-offs' : body.alternatives ? 'Finding alternatives' : 'Planning';
    busy($('plan-go'), `${what} ${body.from} → ${body.to} …`, async () => {
      const [answer, geo] = await Promise.all([api('/api/route', body), api('/api/route', { ...body, format: 'geojson' })]);
      plan.answer = answer; plan.geo = geo; plan.body = body;
      drawPlan();
    });
  });

  function drawPlan() {
    const { answer, geo } = plan;
    plan.layer.clearLayers();
    plan.markers = L.layerGroup().addTo(plan.layer);
    plan.ends = L.layerGroup().addTo(plan.layer);
    const many = answer.routes.length > 1;
    plan.drawn = drawRoutes(geo, plan.layer, (p) => (many ? { ...legStyle(p), weight: p.mode === 'transfer' ? 1.5 : 3, opacity: 0.75 } : legStyle(p)));
    // The drawn legs must add up to what the service said each route is.
    const off = plan.drawn.filter((r) => {
      const km = r.legs.reduce((s, l) => s + l.meta.distance_km, 0);
      const route = answer.routes[r.index];
      return !route || Math.abs(km - route.distance_km) > 0.5;
    });
    if (off.length) showMessage(`The drawn legs of ${off.length} route(s) do not add up to the service's distance; the map may be out of date with the table.`);
    for (const f of geo.features) {
      const p = f.properties;
      if (p.role !== 'origin' && p.role !== 'destination') continue;
      if (many && p.route !== 0) continue;
      const r = plan.drawn.find((d) => d.index === p.route);
      const [lon, lat] = f.geometry.coordinates;
      L.circleMarker(placeNear(lat, lon, r ? r.points : []), {
        radius: 7, color: '#13293d', weight: 2, fillColor: p.role === 'origin' ? '#4caf50' : '#e53935', fillOpacity: 1,
      }).bindTooltip(`${p.role}: ${esc(p.name)}${p.snap_km != null ? ` (joined ${num(p.snap_km, 1)} km away)` : ''}`).addTo(plan.ends);
    }
    const res = $('plan-result');
    res.innerHTML = '';
    plan.table = null;
    if (!answer.routes.length) { showMessage('The service found no route.'); return; }
    if (many) {
      const kind = plan.body.pareto ? 'pareto' : 'alternatives';
      html(res, `<h2>${answer.routes.length} ${kind === 'pareto' ? 'routes: the Pareto set over time × cost × CO2e' : 'alternative routes'}</h2>
        <p class="muted">Hover a row to highlight its line; click it (or press Enter) for its legs and crossings. Click a column to sort.</p>`);
      const rows = answer.routes.map((r, i) => ({
        _i: i, n: i + 1, time: r.duration_h, usd: r.cost_usd, co2: r.co2e_kg, km: r.distance_km,
        modes: modeChain(r).join(' → '), corridor: corridorOf(r),
      }));
      plan.table = sortableTable(res, [
        { key: 'n', label: '#', num: true },
        { key: 'time', label: 'time', num: true, fmt: (r) => days(r.time) },
        { key: 'usd', label: 'USD', num: true, fmt: (r) => num(r.usd) },
        { key: 'co2', label: 'kg CO2e', num: true, fmt: (r) => num(r.co2) },
        { key: 'km', label: 'km', num: true, fmt: (r) => num(r.km) },
        { key: 'modes', label: 'modes' },
        { key: 'corridor', label: 'corridor' },
      ], rows, {
        sortKey: 'time',
        onHot: (i) => { plan.hot = i; emphasise(plan.drawn, i ?? plan.selected, i !== null || plan.selected !== null); markRows(plan.table, 'hot', i); },
        onPick: (i) => selectRoute(i),
      });
      plan.table.id = 'pareto-table';
      res.appendChild(html(document.createElement('div'), '')).id = 'route-detail';
      plan.selected = null;
    } else {
      res.appendChild(document.createElement('div')).id = 'route-detail';
      selectRoute(0);
    }
    fitTo(plan.drawn.flatMap((r) => r.legs));
    if (answer.notes && answer.notes.length) res.insertAdjacentHTML('afterbegin', `<ul class="notes">${answer.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>`);
  }

  function selectRoute(i) {
    const route = plan.answer.routes[i];
    plan.selected = i;
    plan.markers.clearLayers();
    const d = plan.drawn.find((r) => r.index === i);
    routeMarkers(route, d ? d.points : [], plan.markers, { closable: true });
    if (plan.answer.routes.length > 1) { emphasise(plan.drawn, i); markRows(plan.table, 'selected', i); }
    const gauges = (route.border_crossings || []).filter((b) => b.gauge_change).length;
    html($('route-detail'), `
      <h2>${plan.answer.routes.length > 1 ? `Route ${i + 1}: ` : ''}${esc(route.origin.name)} → ${esc(route.destination.name)}</h2>
      <div class="totals" id="route-totals" data-distance-km="${route.distance_km}">
        <div><b>${days(route.duration_h)}</b><span>time</span></div>
        <div><b>${num(route.cost_usd)}</b><span>USD</span></div>
        <div><b>${num(route.co2e_kg)}</b><span>kg CO2e (WTW)</span></div>
        <div><b>${num(route.distance_km)}</b><span>km</span></div>
      </div>
      ${route.transit_days && route.transit_days.varying ? `<p id="route-spread">transit time P10 ${days(route.transit_days.p10 * 24)}, P50 ${days(route.transit_days.p50 * 24)}, P90 ${days(route.transit_days.p90 * 24)} <span class="muted">(drawn from ${route.transit_days.varying} published range${route.transit_days.varying === 1 ? '' : 's'}: ${(route.transit_days.uncertain || []).map((u) => u.component.replace(/_/g, ' ') + (u.count > 1 ? ` ×${u.count}` : '')).join(', ')})</span></p>` : ''}
      <p>${route.transfers} transfer(s), ${(route.border_crossings || []).length} border crossing(s), ${gauges} gauge change(s); ${esc(plan.answer.cargo)}, ${esc(plan.answer.objective)}-optimal${route.corridors && route.corridors.length ? `; corridor: ${route.corridors.map((c) => esc(c.name)).join(', ')}` : ''}</p>
      <p class="muted">countries: ${esc((route.countries || []).join(' → '))}${(route.passages || []).length ? `; passages: ${esc(route.passages.join(', '))}` : ''}</p>
      ${(route.notes || []).length ? `<ul class="notes">${route.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : ''}
      <h3>Legs</h3>
      <table><thead><tr><th>mode</th><th>from → to</th><th class="num">km</th><th class="num">time</th><th class="num">USD</th><th class="num">kg CO2e</th></tr></thead><tbody>
      ${route.legs.map((l) => `<tr><td>${swatch(l.mode)}${esc(l.mode)}</td><td>${esc(l.from.name)}${l.mode === 'transfer' ? '' : ` → ${esc(l.to.name)}`}${l.sailing ? ` <span class="muted">(sailing ${num(l.sailing.crossing_h, 1)} h + wait ${num(l.sailing.wait_h, 1)} h)</span>` : ''}</td><td class="num">${num(l.distance_km)}</td><td class="num">${l.duration_h < 48 ? `${num(l.duration_h, 1)} h` : days(l.duration_h)}</td><td class="num">${num(l.cost_usd)}</td><td class="num">${num(l.co2e_kg)}</td></tr>`).join('')}
      </tbody></table>
      ${(route.border_crossings || []).length ? `<h3>Border crossings</h3>
      <table><thead><tr><th>crossing</th><th class="num">dwell</th><th class="num">fee</th><th>gauge</th></tr></thead><tbody>
      ${route.border_crossings.map((b) => `<tr><td>${esc(b.name)}${b.curated ? '' : ' <span class="muted">(defaults)</span>'}</td><td class="num">${num(b.dwell_h, 1)} h</td><td class="num">${num(b.fee_usd)} USD</td><td>${b.gauge_change ? `${b.gauge_change.from_mm}→${b.gauge_change.to_mm}` : ''}</td></tr>`).join('')}
      </tbody></table>` : ''}`);
  }

  // ----------------------------------------------------------- break view
  const brk = { layer: L.layerGroup(), lanes: L.layerGroup(), passages: L.layerGroup(), closures: [], scenarios: [], drawn: [], table: null, answer: null };
  brk.lanes.addTo(brk.layer);
  brk.passages.addTo(brk.layer);
  closedCountryLayer.remove();
  closedCountryLayer.addTo(brk.layer);
  views.break = brk;
  $('od').value = OD_EURASIA.map(([a, b]) => `${a} → ${b}`).join('\n');

  function addClosure(c) {
    if (!brk.closures.some((x) => x.kind === c.kind && x.key === c.key)) brk.closures.push(c);
    $('scenario').value = 'custom';
    renderClosures();
  }
  function removeClosure(i) { brk.closures.splice(i, 1); renderClosures(); }
  function renderClosures() {
    const ul = $('closures');
    html(ul, brk.closures.length ? brk.closures.map((c, i) => `<li>${esc(c.kind)}: ${esc(c.label)} <button type="button" data-i="${i}" aria-label="Reopen ${esc(c.label)}">×</button></li>`).join('')
      : '<li class="empty">none yet</li>');
    $('scenario-toml').textContent = scenarioToml() || '(nothing closed)';
    drawPassageRings();
    closedCountryLayer.clearLayers();
    for (const c of brk.closures.filter((x) => x.kind === 'country')) {
      const ctry = countries.find((k) => k.iso2 === c.key);
      if (!ctry) continue;
      for (const shift of [-360, 0, 360]) {
        L.geoJSON(ctry.feature, { interactive: false, pane: 'basemap', renderer: basemapRenderer, coordsToLatLng: (xy) => L.latLng(xy[1], xy[0] + shift), style: { color: '#a4161a', weight: 1.5, fillColor: '#e57373', fillOpacity: 0.45 } }).addTo(closedCountryLayer);
      }
    }
    describeScenario();
  }
  $('closures').addEventListener('click', (e) => { const b = e.target.closest('button'); if (b) removeClosure(Number(b.dataset.i)); });

  const tomlList = (xs) => `[${xs.map((x) => JSON.stringify(x)).join(', ')}]`;
  function scenarioToml() {
    if (!brk.closures.length) return '';
    const of = (k) => brk.closures.filter((c) => c.kind === k).map((c) => c.key);
    const lines = [
      '[[scenario]]', 'id = "my-closures"',
      `name = ${JSON.stringify(`Closed on the map: ${brk.closures.map((c) => c.label).join(', ')}`)}`,
      'source = "closures chosen on the silkroute map page"',
    ];
    if (of('passage').length) lines.push(`close_passages = ${tomlList(of('passage'))}`);
    if (of('country').length) lines.push(`close_countries = ${tomlList(of('country'))}`);
    if (of('crossing').length) lines.push(`close_border_crossings = ${tomlList(of('crossing'))}`);
    if (of('port').length) lines.push(`close_ports = ${tomlList(of('port'))}`);
    if (of('area').length) lines.push(`close_areas = [${of('area').map((a) => `[${a}]`).join(', ')}]`);
    return `${lines.join('\n')}\n`;
  }

  function drawPassageRings() {
    brk.passages.clearLayers();
    for (const [id, p] of Object.entries(PASSAGES)) {
      const closed = brk.closures.some((c) => c.kind === 'passage' && c.key === id);
      const m = L.circleMarker([p.lat, p.lon], {
        radius: 8, color: closed ? '#a4161a' : '#00716f', weight: 3,
        fillColor: closed ? '#e53935' : '#ffffff', fillOpacity: closed ? 0.9 : 0.6, bubblingMouseEvents: false,
      });
      m.passageId = id;
      m.bindTooltip(`${p.name}${closed ? ' (closed — click to reopen)' : ' — click to close'}`);
      m.on('click', () => {
        const i = brk.closures.findIndex((c) => c.kind === 'passage' && c.key === id);
        if (i >= 0) removeClosure(i); else addClosure({ kind: 'passage', key: id, label: p.name });
      });
      m.addTo(brk.passages);
    }
  }
  brk.onMapClick = (e) => {
    const c = countryAt(e.latlng);
    if (!c) return;
    if (!c.iso2) { showMessage(`${c.name} has no ISO 3166 code in the basemap, so it cannot be closed by clicking.`); return; }
    const i = brk.closures.findIndex((x) => x.kind === 'country' && x.key === c.iso2);
    if (i >= 0) removeClosure(i); else addClosure({ kind: 'country', key: c.iso2, label: `${c.name} (${c.iso2})` });
  };
  brk.onShow = () => { if (!brk.closures.length) renderClosures(); };

  function describeScenario() {
    const id = $('scenario').value;
    const s = brk.scenarios.find((x) => x.id === id);
    html($('scenario-about'), s ? `<p><b>${esc(s.name)}</b></p><p>${esc(s.changes.join('; '))}</p><p>${esc(s.source)}</p>${s.notes ? `<p>${esc(s.notes)}</p>` : ''}`
      : '<p>Closes what you clicked on the map.</p>');
  }
  $('scenario').addEventListener('change', () => {
    describeScenario();
    // Switching scenarios re-answers the lanes at once (the service keeps
    // its metrics cached).
    if (brk.answer && $('scenario').value !== 'custom') $('break-form').requestSubmit();
  });

  function parsePairs(text) {
    const pairs = [];
    const bad = [];
    text.split('\n').map((l) => l.trim()).filter(Boolean).forEach((line, n) => {
      const parts = line.split(/\s*(?:→|->|\t|;)\s*/);
      if (parts.length === 2 && parts[0] && parts[1]) pairs.push({ from: parts[0], to: parts[1] });
      else bad.push(`line ${n + 1}: ${line}`);
    });
    return { pairs, bad };
  }

  $('break-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const { pairs, bad } = parsePairs($('od').value);
    if (bad.length) { showMessage(`Write each lane as "from → to": ${bad.join('; ')}`); return; }
    if (!pairs.length) { showMessage('List at least one lane.'); return; }
    const id = $('scenario').value;
    const body = { pairs, modes: $('break-modes').value.trim(), optimize: $('break-optimize').value };
    let name = id;
    if (id === 'custom') {
      const toml = scenarioToml();
      if (!toml) { showMessage('Close something first: click a passage ring or a country on the map, or pick a named scenario.'); return; }
      body.scenario_toml = toml;
      name = 'my-closures';
    }
    busy($('break-go'), `Comparing ${pairs.length} lanes before and after ${id === 'custom' ? 'your closures' : id} …`, async () => {
      const path = `/api/scenario/${encodeURIComponent(name)}`;
      const [answer, geo] = await Promise.all([api(path, body), api(path, { ...body, format: 'geojson' })]);
      brk.answer = answer; brk.geo = geo;
      drawBreak();
    });
  });

  const STATUS_COLOURS = { unchanged: '#1b5e20', delayed: '#ef6c00', rerouted: '#c62828' };
  function drawBreak() {
    const { answer, geo } = brk;
    brk.lanes.clearLayers();
    brk.drawn = [];
    for (const f of geo.features) {
      const p = f.properties;
      const [pts] = unwrapLegs([partsOf(f.geometry)]);
      const base = p.variant === 'baseline';
      const style = base ? { color: '#37474f', weight: 2.5, opacity: 0.8, dashArray: '5 5' }
        : { color: STATUS_COLOURS[p.status] || '#000', weight: 3.5, opacity: 0.85 };
      const poly = L.polyline(pts, { ...style, bubblingMouseEvents: false });
      poly.baseStyle = style;
      poly.meta = { pair: p.pair, variant: p.variant, passages: p.passages, status: p.status, distance_km: p.distance_km };
      poly.bindTooltip(`${esc(p.from)} → ${esc(p.to)} (${base ? 'before' : 'after'})<br>${days(p.duration_h)} · ${num(p.cost_usd)} USD · ${num(p.distance_km)} km${p.passages ? `<br>via ${esc(p.passages)}` : ''}`, { sticky: true });
      poly.addTo(brk.lanes);
      let r = brk.drawn.find((d) => d.index === p.pair);
      if (!r) { r = { index: p.pair, legs: [] }; brk.drawn.push(r); }
      r.legs.push(poly);
    }
    // Lanes the scenario cuts off: their ends, flagged.
    answer.pairs.forEach((pr, i) => {
      if (pr.status !== 'cut_off' && pr.status !== 'no_baseline_route') return;
      const line = brk.drawn.find((d) => d.index === i);
      const ll = line ? line.legs[0].getLatLngs() : [];
      if (!ll.length) return;
      const end = ll[ll.length - 1];
      L.circleMarker(end, { radius: 8, color: '#000', weight: 3, fillColor: '#ffeb3b', fillOpacity: 1 })
        .bindTooltip(`${esc(pr.from)} → ${esc(pr.to)}: no route after the scenario`).addTo(brk.lanes);
    });
    const t = answer.totals;
    const res = $('break-result');
    html(res, `<h2>${esc(answer.scenario.name)}</h2>
      <p id="break-totals">${t.pairs} lanes: ${t.rerouted} rerouted, ${t.delayed} delayed, ${t.unchanged} unchanged, <b>${t.cut_off} cut off</b>${t.no_baseline_route ? `, ${t.no_baseline_route} without a route even before` : ''}.</p>
      <p class="muted">Dashed: before. Solid: after (red rerouted, orange delayed, green unchanged). Under each lane: the passages before → after. Hover a lane to highlight it.</p>`);
    const rows = answer.pairs.map((p, i) => ({
      _i: i, lane: `${p.from} → ${p.to}`, status: p.status, pair: p,
      before: p.baseline && p.baseline.reachable ? p.baseline.duration_h : null,
      after: p.scenario && p.scenario.reachable ? p.scenario.duration_h : null,
      ddays: p.delta ? p.delta.duration_h / 24 : null, dusd: p.delta ? p.delta.cost_usd : null,
      via: `${(p.baseline && p.baseline.passages || []).join(', ') || '—'} → ${(p.scenario && p.scenario.reachable ? (p.scenario.passages || []).join(', ') || '—' : 'no route')}`,
    }));
    brk.table = sortableTable(res, [
      { key: 'lane', label: 'lane', fmt: (r) => `${esc(r.lane)}<br><span class="muted">${esc(r.via)}</span>` },
      { key: 'status', label: 'status', fmt: (r) => `<span class="badge ${esc(r.status)}">${esc(r.status === 'cut_off' ? 'cut off' : r.status.replace(/_/g, ' '))}</span>` },
      { key: 'before', label: 'before', num: true, fmt: (r) => (r.before == null ? '—' : days(r.before)) },
      { key: 'after', label: 'after', num: true, fmt: (r) => (r.after == null ? 'no route' : days(r.after)) },
      { key: 'ddays', label: '+days', num: true, fmt: (r) => signed(r.ddays, 1) },
      { key: 'dusd', label: '+USD', num: true, fmt: (r) => signed(r.dusd) },
    ], rows, {
      onHot: (i) => {
        emphasise(brk.drawn, i);
        brk.passages.eachLayer((l) => l.bringToFront());
        markRows(brk.table, 'hot', i);
      },
      onPick: (i) => { const d = brk.drawn.find((r) => r.index === i); if (d) fitTo(d.legs); },
    });
    brk.table.id = 'break-table';
    // The passage rings stay clickable above the lanes.
    brk.passages.eachLayer((l) => l.bringToFront());
    fitTo(brk.drawn.flatMap((r) => r.legs));
  }

  // ----------------------------------------------------- criticality view
  const crit = { layer: L.layerGroup(), drawn: [], table: null, geo: null };
  views.crit = crit;
  $('cities').value = BRI_CITIES.join('\n');

  $('crit-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const cities = $('cities').value.split('\n').map((l) => l.trim()).filter(Boolean);
    if (cities.length < 2) { showMessage('List at least two cities.'); return; }
    const kinds = [...document.querySelectorAll('input[name=kind]:checked')].map((c) => c.value);
    if (!kinds.length) { showMessage('Choose at least one kind of element.'); return; }
    const pairs = [];
    for (const a of cities) for (const b of cities) if (a !== b) pairs.push({ from: a, to: b });
    const body = { pairs, elements: kinds.join(','), top: Number($('crit-top').value) || 20, optimize: $('crit-optimize').value, format: 'geojson' };
    busy($('crit-go'), `Closing every element in turn over ${pairs.length} city pairs …`, async () => {
      crit.geo = await api('/api/criticality', body);
      crit.pairs = pairs.length;
      drawCrit();
    });
  });

  function drawCrit() {
    const { geo } = crit;
    crit.layer.clearLayers();
    crit.drawn = [];
    const feats = geo.features.slice().sort((a, b) => a.properties.rank - b.properties.rank);
    const maxLoss = Math.max(1, ...feats.map((f) => f.properties.loss));
    const unit = feats.length ? feats[0].properties.unit : '';
    feats.forEach((f, i) => {
      const p = f.properties;
      const size = Math.sqrt(p.loss / maxLoss);
      const colour = p.cut_pairs > 0 ? '#000000' : '#a4161a';
      const parts = [];
      const pop = () => `<h4>#${p.rank} ${esc(p.kind)}: ${esc(p.name)}</h4><table>
        <tr><th>loss</th><td class="num">${num(p.loss)} ${esc(p.loss_unit)}</td></tr>
        <tr><th>pairs using it</th><td class="num">${num(p.affected_pairs)}</td></tr>
        <tr><th>pairs cut off</th><td class="num">${num(p.cut_pairs)}</td></tr>
        <tr><th>mean extra</th><td class="num">${num(p.mean_extra, 1)} ${esc(p.unit)}</td></tr>
        <tr><th>worst pair</th><td>${esc(p.worst_pair && p.worst_pair.pair)} (+${num(p.worst_pair && p.worst_pair.extra, 1)})</td></tr></table>
        ${closableOf(p) ? closeButton(closableOf(p)) : ''}`;
      let near = [];
      if (f.geometry.type !== 'Point') {
        const [pts] = unwrapLegs([partsOf(f.geometry)]);
        near = pts;
        const line = L.polyline(pts, { color: colour, weight: 2 + 10 * size, opacity: 0.8, bubblingMouseEvents: false });
        line.baseStyle = { color: colour, weight: 2 + 10 * size, opacity: 0.8 };
        line.bindPopup(pop);
        parts.push(line);
      }
      const at = f.geometry.type === 'Point' ? [f.geometry.coordinates[1], f.geometry.coordinates[0]] : placeNear(p.lat, p.lon, near);
      const dot = L.circleMarker(at, { radius: 4 + 18 * size, color: colour, weight: 2, fillColor: '#ef5350', fillOpacity: 0.45, bubblingMouseEvents: false });
      dot.baseStyle = { radius: 4 + 18 * size, color: colour, weight: 2, fillColor: '#ef5350', fillOpacity: 0.45 };
      dot.bindPopup(pop);
      dot.bindTooltip(`#${p.rank} ${esc(p.name)}: ${num(p.loss)} ${esc(p.loss_unit)}`);
      parts.push(dot);
      const g = L.featureGroup(parts).addTo(crit.layer);
      g.meta = { id: p.id, rank: p.rank, loss: p.loss };
      crit.drawn.push({ index: i, group: g, parts, props: p });
    });
    const res = $('crit-result');
    html(res, `<h2 id="crit-count" data-count="${feats.length}">Top ${feats.length} elements over ${num(crit.pairs)} city pairs</h2>
      <p class="muted">Loss: the extra ${esc(unit)} over every pair whose route used the element, when it is closed${feats.some((f) => f.properties.cut_pairs) ? '; black: pairs left without any route' : ''}. Circles and lines are sized by loss.</p>`);
    const rows = feats.map((f, i) => ({ _i: i, ...f.properties, worst: f.properties.worst_pair ? `${f.properties.worst_pair.pair} (+${num(f.properties.worst_pair.extra, 1)})` : '' }));
    crit.table = sortableTable(res, [
      { key: 'rank', label: '#', num: true },
      { key: 'kind', label: 'kind' },
      { key: 'name', label: 'element', fmt: (r) => `${esc(r.name)}<br><span class="muted">worst: ${esc(r.worst)}</span>` },
      { key: 'affected_pairs', label: 'pairs', num: true, fmt: (r) => num(r.affected_pairs) },
      { key: 'cut_pairs', label: 'cut', num: true, fmt: (r) => num(r.cut_pairs) },
      { key: 'loss', label: 'loss', num: true, fmt: (r) => num(r.loss) },
      { key: 'mean_extra', label: 'mean', num: true, fmt: (r) => num(r.mean_extra) },
    ], rows, {
      sortKey: 'rank',
      onHot: (i) => {
        for (const d of crit.drawn) {
          for (const l of d.parts) l.setStyle({ ...l.baseStyle, opacity: i === null || d.index === i ? 0.9 : 0.2, fillOpacity: i === null || d.index === i ? 0.5 : 0.08 });
          if (d.index === i) d.group.bringToFront();
        }
        markRows(crit.table, 'hot', i);
      },
      onPick: (i) => { const d = crit.drawn[i]; if (d) { fitTo(d.parts); d.parts[d.parts.length - 1].openPopup(); } },
    });
    crit.table.id = 'crit-table';
    fitTo(crit.drawn.flatMap((d) => d.parts));
  }
  /** What a ranked element closes in a scenario, if a scenario can. */
  function closableOf(p) {
    const [kind, id] = [p.kind, String(p.id).replace(/^[a-z]+:/, '')];
    if (kind === 'passage') return { kind: 'passage', key: id, label: (PASSAGES[id] || {}).name || id };
    if (kind === 'crossing') {
      return /^[a-z0-9-]+$/.test(id) ? { kind: 'crossing', key: id, label: p.name }
        : { kind: 'area', key: box(p.lat, p.lon), label: `around ${p.name}` };
    }
    if (kind === 'port') {
      const locode = /\(([A-Z]{2}[A-Z2-9]{3})\)/.exec(p.name);
      return { kind: 'port', key: locode ? locode[1] : `${p.lat},${p.lon}`, label: p.name };
    }
    return null;
  }

  // -------------------------------------------------------- corridor view
  const corr = { layer: L.layerGroup(), markers: L.layerGroup(), drawn: [], table: null, loadedFor: null };
  views.corr = corr;
  corr.onShow = () => { if (corr.loadedFor !== $('corr-optimize').value) loadCorridors(); };
  $('corr-optimize').addEventListener('change', () => loadCorridors());

  function loadCorridors() {
    const optimize = $('corr-optimize').value;
    return busy(null, 'Routing each corridor\u2019s canonical service …', async () => {
      const [answer, geo] = await Promise.all([
        api(`/api/corridors?format=json&optimize=${optimize}`),
        api(`/api/corridors?format=geojson&optimize=${optimize}`),
      ]);
      corr.answer = answer; corr.geo = geo; corr.loadedFor = optimize;
      drawCorridors();
    });
  }
  function drawCorridors() {
    const { answer, geo } = corr;
    corr.layer.clearLayers();
    corr.markers = L.layerGroup().addTo(corr.layer);
    const colour = (i) => PALETTE[i % PALETTE.length];
    corr.drawn = drawRoutes(geo, corr.layer, (p, i) => ({ color: colour(i), weight: p.mode === 'transfer' ? 2 : 4, opacity: 0.85 }));
    for (const d of corr.drawn) {
      const c = answer.corridors[d.index];
      if (c && c.engine) routeMarkers(c.engine, d.points, corr.markers, { closable: true });
    }
    const res = $('corr-result');
    html(res, `<h2>${answer.corridors.length} Belt and Road corridors</h2>
      <p class="muted">Each corridor's canonical service routed by the engine (${esc(answer.objective)}, ${esc(answer.cargo)}); under the engine's days and km, the published figures (— where none is published). Hover a row to highlight it.</p>`);
    const range = (r, d = 0) => (!r ? '—' : r.min === r.max ? num(r.min, d) : `${num(r.min, d)}–${num(r.max, d)}`);
    const rows = answer.corridors.map((c, i) => ({
      _i: i, name: c.name, service: c.published.service, status: c.status,
      pub_days: c.published.transit_days, eng_days: c.engine ? c.engine.duration_h / 24 : null,
      pub_km: c.published.distance_km, eng_km: c.engine ? c.engine.distance_km : null,
      usd: c.engine ? c.engine.cost_usd : null, co2: c.engine ? c.engine.co2e_kg : null,
    }));
    corr.table = sortableTable(res, [
      { key: 'name', label: 'corridor', fmt: (r) => `<span class="swatch" style="background:${colour(r._i)}"></span>${esc(r.name)}<br><span class="muted">${esc(r.service)}</span>` },
      { key: 'eng_days', label: 'days', num: true, fmt: (r) => `${num(r.eng_days, 1)}<br><span class="muted">${range(r.pub_days, 1)}</span>` },
      { key: 'eng_km', label: 'km', num: true, fmt: (r) => `${num(r.eng_km)}<br><span class="muted">${range(r.pub_km)}</span>` },
      { key: 'usd', label: 'USD', num: true, fmt: (r) => num(r.usd) },
      { key: 'co2', label: 'kg CO2e', num: true, fmt: (r) => num(r.co2) },
    ], rows, {
      onHot: (i) => { emphasise(corr.drawn, i); markRows(corr.table, 'hot', i); },
      onPick: (i) => { const d = corr.drawn.find((r) => r.index === i); if (d) fitTo(d.legs); },
    });
    corr.table.id = 'corr-table';
    const unrouted = answer.corridors.filter((c) => !c.engine).map((c) => c.name);
    if (unrouted.length) res.insertAdjacentHTML('beforeend', `<p class="muted">No engine route for: ${esc(unrouted.join(', '))}.</p>`);
    fitTo(corr.drawn.flatMap((r) => r.legs));
  }

  // ------------------------------------------------------------- start
  async function start() {
    renderClosures();
    const [health, scen, cors] = await Promise.allSettled([
      api('/health'), api('/api/scenarios'), api('/api/corridors?format=json'),
      loadBasemap().catch((e) => { throw new ServiceError(`The basemap did not load (${e.message}); routes still draw on a blank sea.`); }),
    ]).then((rs) => {
      const errs = rs.filter((r) => r.status === 'rejected').map((r) => r.reason.message);
      if (errs.length) showMessage(errs.join('\n'));
      return rs.map((r) => (r.status === 'fulfilled' ? r.value : null));
    });
    if (health) $('data-version').textContent = `network ${health.data_version} · ${num(health.nodes)} nodes`;
    if (scen) {
      brk.scenarios = scen.scenarios;
      for (const s of scen.scenarios) $('scenario').insertAdjacentHTML('beforeend', `<option value="${esc(s.id)}">${esc(s.id)}</option>`);
      describeScenario();
    }
    if (cors) {
      for (const c of cors.corridors) $('corridor').insertAdjacentHTML('beforeend', `<option value="${esc(c.id)}">${esc(c.name)}</option>`);
    }
    const hash = location.hash.replace('#', '');
    show(TABS.includes(hash) ? hash : 'plan');
  }

  // What the browser test reads: only what is on the map now.
  window.silkroute = {
    map,
    ready: start().catch(failed),
    show,
    drawn(view) {
      const v = views[view];
      const on = (l) => map.hasLayer(l);
      if (view === 'crit') return { elements: v.drawn.filter((d) => on(d.group)).length, ids: v.drawn.map((d) => d.props.id) };
      return {
        routes: v.drawn.filter((r) => r.legs.some(on)).map((r) => ({
          index: r.index,
          legs: r.legs.filter(on).map((l) => ({
            ...l.meta, geodesic_km: geodesicKm(l.getLatLngs().map((p) => [p.lat, p.lng])),
            max_lon_jump: maxLonJump(l.getLatLngs().map((p) => [p.lat, p.lng])),
            weight: l.options.weight, opacity: l.options.opacity,
          })),
        })),
        markers: v.markers ? v.markers.getLayers().filter(on).map((m) => m.meta) : [],
      };
    },
  };
})();
