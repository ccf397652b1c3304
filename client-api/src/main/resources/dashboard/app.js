// Vitals dashboard: plain ES modules, no build step. Reads the API of the page's own origin, and keeps up with it
// through the server-sent events of GET /api/v1/stream instead of polling.

const CHECKS = ['cpu', 'memory', 'disk', 'load', 'threads'];
/** The field of each check's report that its thresholds grade, and its unit. */
const GRADED = {
  cpu: ['percent_used', '%'], memory: ['percent_used', '%'], disk: ['percent_used', '%'],
  load: ['per_core', '/core'], threads: ['count', ''],
};
const STATE_SYMBOL = { healthy: '✓', degraded: '!', unhealthy: '✕', unknown: '?', gone: '–' };
/** Rows of the fleet rendered at once (more than a screenful), and then at a time. */
const FIRST_ROWS = 30;
const MORE_ROWS = 50;
const FAILING_FIRST = { unhealthy: 0, degraded: 1, gone: 2, unknown: 3, healthy: 4 };
const TOKEN_KEY = 'vitals.token';

const main = document.getElementById('main');
const tip = document.getElementById('tip');
let page = null; // the page shown: { onEvent(event) } and what it keeps

// ---------------------------------------------------------------- the API

class ApiError extends Error {
  constructor(status, problem) {
    super(problem && problem.detail ? problem.detail : `the API answered ${status}`);
    this.status = status;
  }
}

let token = sessionStorage.getItem(TOKEN_KEY);
let asking = null;

/** Asks for a bearer token once, however many calls were refused meanwhile. */
function askToken(message) {
  if (asking) return asking;
  const dialog = document.getElementById('token-dialog');
  const input = document.getElementById('token-input');
  const error = document.getElementById('token-error');
  error.hidden = !message;
  error.textContent = message || '';
  input.value = '';
  asking = new Promise((resolve, reject) => {
    dialog.addEventListener('close', () => {
      asking = null;
      if (dialog.returnValue === 'ok' && input.value.trim()) {
        token = input.value.trim();
        sessionStorage.setItem(TOKEN_KEY, token);
        document.getElementById('token-button').hidden = false;
        resolve();
      } else {
        reject(new ApiError(401, { detail: 'this API needs a bearer token' }));
      }
    }, { once: true });
    dialog.showModal();
  });
  return asking;
}

function headers(extra) {
  const all = { Accept: 'application/json', ...extra };
  if (token) all.Authorization = `Bearer ${token}`;
  return all;
}

async function api(path, options = {}) {
  const response = await fetch(path, { ...options, headers: headers(options.headers) });
  if (response.status === 401) {
    const hadToken = Boolean(token);
    token = null;
    sessionStorage.removeItem(TOKEN_KEY);
    await askToken(hadToken ? 'That token was refused.' : '');
    return api(path, options);
  }
  const type = response.headers.get('Content-Type') || '';
  const body = response.status === 204 ? null : type.includes('json') ? await response.json() : await response.text();
  if (!response.ok) throw new ApiError(response.status, body);
  return body;
}

function post(path, body) {
  return api(path, { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
}

// ---------------------------------------------------------------- the stream

const live = document.getElementById('live');

function setLive(on, text) {
  live.dataset.live = on ? 'on' : 'off';
  live.textContent = text;
}

/**
 * Ends the stream when the page goes: a browser keeps only a few connections to one server, and one left open by each
 * page reloaded would soon leave none for the next.
 */
const leaving = new AbortController();
window.addEventListener('pagehide', () => leaving.abort());

/** Reads the event stream for as long as the page is open; reconnects with the last event's id. */
async function stream() {
  let lastEventId = null;
  let pause = 1000;
  for (;;) {
    try {
      const extra = { Accept: 'text/event-stream' };
      if (lastEventId) extra['Last-Event-ID'] = lastEventId;
      const response = await fetch('/api/v1/stream', { headers: headers(extra), cache: 'no-store', signal: leaving.signal });
      if (response.status === 401) {
        await askToken('');
        continue;
      }
      if (!response.ok) throw new Error(`the stream answered ${response.status}`);
      setLive(true, 'live');
      pause = 1000;
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value.replace(/\r\n?/g, '\n');
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const event = parseEvent(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          if (event.id) lastEventId = event.id;
          if (event.type) dispatch(event);
        }
      }
    } catch (e) {
      if (leaving.signal.aborted) return;
      if (e instanceof ApiError) {
        setLive(false, 'not live: no token');
        return;
      }
    }
    setLive(false, 'reconnecting…');
    await new Promise((resolve) => setTimeout(resolve, pause));
    pause = Math.min(pause * 2, 15000);
  }
}

function parseEvent(block) {
  const event = { type: null, id: null, data: '' };
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event.type = value;
    else if (field === 'id') event.id = value;
    else if (field === 'data') event.data += (event.data ? '\n' : '') + value;
  }
  if (event.type && event.data) event.data = JSON.parse(event.data);
  return event;
}

function dispatch(event) {
  if (event.type === 'alert' || event.type === 'snapshot') later('open-alerts', refreshOpenAlerts, 300);
  if (page && page.onEvent) page.onEvent(event);
}

const timers = new Map();

/**
 * Runs {@code work} within {@code delay} ms, once for every call with the same key meanwhile. A call never puts off
 * work already due sooner: events that keep coming cannot starve it.
 */
function later(key, work, delay) {
  const due = Date.now() + delay;
  const pending = timers.get(key);
  if (pending && pending.due <= due) return;
  if (pending) clearTimeout(pending.timer);
  timers.set(key, {
    due,
    timer: setTimeout(() => {
      timers.delete(key);
      Promise.resolve(work()).catch(showError);
    }, delay),
  });
}

async function refreshOpenAlerts() {
  const open = (await api('/api/v1/alerts?status=open&limit=1000')).alerts.length;
  const count = document.getElementById('open-alerts');
  count.textContent = String(open);
  count.classList.toggle('hot', open > 0);
  count.setAttribute('aria-label', `${open} open`);
}

// ---------------------------------------------------------------- formatting

function esc(value) {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

// One formatter each, made once: making them is what costs (a fleet of hundreds of rows formats thousands of values).
const LOCAL_TIME = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'medium' });
const WHOLE = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const DECIMAL = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });

/** A time in the viewer's zone, its UTC value on hover. */
function time(iso) {
  if (!iso) return '<span class="muted">–</span>';
  const at = new Date(iso);
  return `<time datetime="${esc(iso)}" title="${esc(at.toISOString())} (UTC)">${esc(LOCAL_TIME.format(at))}</time>`;
}

function ago(iso) {
  if (!iso) return '–';
  const seconds = Math.max(0, Math.round((Date.now() - new Date(iso).getTime()) / 1000));
  if (seconds < 90) return `${seconds} s ago`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 172800) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86400)} days ago`;
}

function agoTime(iso) {
  if (!iso) return '<span class="muted">–</span>';
  return `<time datetime="${esc(iso)}" data-ago title="${esc(LOCAL_TIME.format(new Date(iso)))} — ${esc(iso)} (UTC)">${ago(iso)}</time>`;
}

/** 0.99951 → 99.95 %, never rounded up to 100 % unless nothing failed. */
function percent(share) {
  if (share === null || share === undefined) return '–';
  if (share >= 1) return '100 %';
  return `${(Math.floor(share * 10000) / 100).toFixed(2)} %`;
}

function number(value) {
  if (value === null || value === undefined) return '–';
  return Math.abs(value) >= 100 ? WHOLE.format(value) : DECIMAL.format(value);
}

function stateOf(worker) {
  return worker.alive === false ? 'gone' : (worker.state && worker.state.status) || 'unknown';
}

function stateLabel(status, since) {
  return `<span class="state st-${esc(status)}"><span class="sym" aria-hidden="true">${STATE_SYMBOL[status] || '?'}</span>${esc(status)}</span>`
    + (since ? `<span class="since">since ${agoTime(since)}</span>` : '');
}

function pill(status) {
  return `<span class="pill s-${esc(status)}">${esc(status)}</span>`;
}

function reasonText(reason) {
  if (!reason) return '';
  if (reason.missing) return 'no report before the task ended';
  if (reason.check) {
    const sign = reason.status === 'ok' ? '<' : '≥';
    return `${reason.check} ${number(reason.value)} ${reason.threshold !== undefined ? `${sign} ${number(reason.threshold)}` : ''} (${reason.status})`;
  }
  return `report ${reason.status}`;
}

function workerLink(id) {
  return `<a href="#/workers/${encodeURIComponent(id)}">${esc(id)}</a>`;
}

function taskLink(id) {
  return `<a href="#/tasks/${encodeURIComponent(id)}"><code>${esc(String(id).slice(0, 8))}</code></a>`;
}

function showError(error) {
  const notice = document.createElement('p');
  notice.className = 'notice error';
  notice.setAttribute('role', 'alert');
  notice.textContent = error instanceof ApiError ? error.message : `Something went wrong: ${error.message}`;
  main.prepend(notice);
}

// ---------------------------------------------------------------- the fleet

function checkBar(name, point) {
  if (!point) {
    return `<div class="check"><span class="name">${name}</span> <span class="val muted">–</span><span class="bar"></span></div>`;
  }
  const top = Math.max(point.error ?? 0, point.value ?? 0) * 1.1 || 1;
  const width = point.value === null ? 0 : Math.min(100, (point.value / top) * 100);
  const mark = (value, kind) => (value === undefined || value === null ? ''
    : `<span class="mark ${kind}" style="left:${Math.min(99, (value / top) * 100).toFixed(1)}%"></span>`);
  const unit = GRADED[name][1];
  const label = `${name} ${number(point.value)}${unit}, ${point.status} (warning ${number(point.warning)}, error ${number(point.error)})`;
  // The words say the status (the symbol after the value is drawn by the style sheet): the bar only shows it.
  return `<div class="check c-${esc(point.status)}" title="${esc(label)}">`
    + `<span class="name">${name}</span> <span class="val">${number(point.value)}</span><span class="vh"> ${esc(point.status)}</span>`
    + `<span class="bar" aria-hidden="true"><span class="fill" style="width:${width.toFixed(1)}%"></span>${mark(point.warning, 'w')}${mark(point.error, 'e')}</span></div>`;
}

/** A worker's days as the strip shows them: {day, runs, failures, uptime}, oldest first. */
function daysOf(worker) {
  const days = worker.days;
  if (!days) return [];
  const first = new Date(`${days.first}T00:00:00Z`);
  return days.runs.map((runs, i) => ({
    day: new Date(first.getTime() + i * 86400000).toISOString().slice(0, 10),
    runs,
    failures: days.failures[i],
    uptime: runs ? 1 - days.failures[i] / runs : null,
  }));
}

/** The strip's colours, read from the style sheet once a drawing (light or dark, as the system says). */
function stripPalette() {
  return { empty: css('--empty'), good: css('--ok'), fair: css('--warn-fill'), poor: css('--err') };
}

function dayColour(day, palette) {
  if (day.uptime === null) return palette.empty;
  if (day.uptime >= 0.999) return palette.good;
  if (day.uptime >= 0.99) return palette.fair;
  return palette.poor;
}

function dayText(day) {
  if (!day.runs) return `${day.day}: no runs`;
  return `${day.day}: ${percent(day.uptime)} up, ${WHOLE.format(day.runs)} runs, ${WHOLE.format(day.failures)} failed`;
}

const STRIP_BOX = 4;

/** The strip's place in the row; drawn on a canvas by drawStrips once in the page (a few hundred DOM nodes fewer a row). */
function strip(worker) {
  const days = daysOf(worker);
  const counted = days.filter((d) => d.runs > 0);
  const worst = counted.reduce((w, d) => (w === null || d.uptime < w.uptime ? d : w), null);
  const summary = counted.length === 0 ? `no runs in the last ${days.length} days`
    : `${counted.length} of the last ${days.length} days with runs; worst ${dayText(worst)}`;
  return `<canvas class="strip" width="${days.length * STRIP_BOX}" height="18" tabindex="0" role="img"
    aria-label="${esc(summary)}. Arrow keys go through the days." data-worker="${esc(worker.worker_id)}"></canvas>
    <span class="strip-day" aria-live="polite"></span>`;
}

function drawStrip(canvas, palette = stripPalette()) {
  const days = daysOf(findWorker(canvas.dataset.worker) || {});
  const scale = window.devicePixelRatio || 1;
  const width = days.length * STRIP_BOX;
  if (canvas.width !== width * scale) {
    canvas.width = width * scale;
    canvas.height = 18 * scale;
    canvas.style.width = `${width}px`;
    canvas.style.height = '18px';
  }
  const context = canvas.getContext('2d');
  context.setTransform(scale, 0, 0, scale, 0, 0);
  context.clearRect(0, 0, width, 18);
  const selected = canvas.dataset.sel === undefined ? -1 : Number(canvas.dataset.sel);
  days.forEach((day, i) => {
    context.fillStyle = dayColour(day, palette);
    context.fillRect(i * STRIP_BOX, i === selected ? 0 : 2, STRIP_BOX - 1, i === selected ? 18 : 14);
  });
}

function drawStrips(within = document) {
  const palette = stripPalette();
  within.querySelectorAll('canvas.strip').forEach((canvas) => drawStrip(canvas, palette));
}

function uptimes(uptime) {
  return `<div class="uptime"><span title="24 hours">${percent(uptime['24h']?.uptime)}</span>`
    + `<span title="30 days">${percent(uptime['30d']?.uptime)}</span><span title="90 days">${percent(uptime['90d']?.uptime)}</span></div>`;
}

function fleetRow(worker) {
  const status = stateOf(worker);
  const checks = (worker.last_run && worker.last_run.checks) || {};
  const since = status === 'gone' ? worker.last_seen : worker.state?.since;
  return `<tr id="w-${esc(worker.worker_id)}" data-status="${esc(status)}" data-worker="${esc(worker.worker_id)}">
    <td>${workerLink(worker.worker_id)}<span class="host">${esc(worker.hostname)}</span></td>
    <td>${stateLabel(status, since)}${worker.state?.flapping ? ' <span class="flapping">flapping</span>' : ''}
      ${worker.open_alerts ? `<span class="since"><a href="#/alerts">${worker.open_alerts} open alert${worker.open_alerts > 1 ? 's' : ''}</a></span>` : ''}</td>
    <td class="c-checks"><div class="checks">${CHECKS.map((c) => checkBar(c, checks[c])).join('')}</div></td>
    <td data-label="Heartbeat">${agoTime(worker.last_seen)}</td>
    <td class="c-strip" data-label="Last 90 days">${strip(worker)}</td>
    <td data-label="Uptime 24 h · 30 d · 90 d">${uptimes(worker.uptime || {})}</td>
  </tr>`;
}

function sortFleet(workers, order) {
  const byName = (a, b) => a.worker_id.localeCompare(b.worker_id);
  const sorted = [...workers];
  if (order === 'name') return sorted.sort(byName);
  if (order === 'uptime') {
    return sorted.sort((a, b) => (a.uptime?.['30d']?.uptime ?? 2) - (b.uptime?.['30d']?.uptime ?? 2) || byName(a, b));
  }
  return sorted.sort((a, b) => FAILING_FIRST[stateOf(a)] - FAILING_FIRST[stateOf(b)]
    || (b.open_alerts || 0) - (a.open_alerts || 0) || byName(a, b));
}

function fleetPage() {
  const view = { workers: [], filter: '', status: 'all', order: 'failing', renders: 0 };
  main.innerHTML = `<h1>Fleet</h1>
    <p class="summary" id="fleet-summary"></p>
    <div class="controls">
      <label>Filter <input id="filter" type="search" placeholder="worker or host" autocomplete="off"></label>
      <label>State <select id="status-filter">
        <option value="all">all</option><option value="failing">failing (unhealthy or degraded)</option>
        <option value="healthy">healthy</option><option value="degraded">degraded</option>
        <option value="unhealthy">unhealthy</option><option value="unknown">unknown</option><option value="gone">gone</option>
      </select></label>
      <label>Sort <select id="order"><option value="failing">failing first</option><option value="name">name</option>
        <option value="uptime">lowest uptime (30 d) first</option></select></label>
    </div>
    <div class="scroll"><table class="fleet">
      <thead><tr><th scope="col">Worker</th><th scope="col">State</th><th scope="col">Checks (last run)</th>
      <th scope="col">Heartbeat</th><th scope="col">Last 90 days</th>
      <th scope="col"><span title="24 hours, 30 days, 90 days">Uptime 24 h · 30 d · 90 d</span></th></tr></thead>
      <tbody id="fleet-rows"></tbody></table></div>
    <p id="fleet-empty" class="muted" hidden>No worker has sent a heartbeat yet: start one with <code>bin/vitals worker</code>.</p>`;

  const render = () => {
    const focused = document.activeElement?.closest?.('tr')?.dataset.worker;
    const text = view.filter.toLowerCase();
    const shown = sortFleet(view.workers, view.order).filter((w) => {
      const status = stateOf(w);
      const wanted = view.status === 'all' || status === view.status
        || (view.status === 'failing' && (status === 'unhealthy' || status === 'degraded'));
      return wanted && (!text || w.worker_id.toLowerCase().includes(text) || (w.hostname || '').toLowerCase().includes(text));
    });
    shown.forEach((w) => shownWorkers.set(w.worker_id, w));
    // The first screenful at once, the rest in later tasks: the rows in view are painted without waiting for the others.
    const rows = document.getElementById('fleet-rows');
    const generation = ++view.renders;
    rows.innerHTML = shown.slice(0, FIRST_ROWS).map(fleetRow).join('');
    drawStrips(rows);
    const more = (from) => {
      if (generation !== view.renders || from >= shown.length) {
        if (generation === view.renders) performance.mark('vitals:fleet-complete');
        return;
      }
      const chunk = document.createElement('tbody');
      chunk.innerHTML = shown.slice(from, from + MORE_ROWS).map(fleetRow).join('');
      drawStrips(chunk);
      rows.append(...chunk.children);
      setTimeout(() => more(from + MORE_ROWS));
    };
    setTimeout(() => more(FIRST_ROWS));
    document.getElementById('fleet-empty').hidden = view.workers.length > 0;
    const counts = {};
    view.workers.forEach((w) => { counts[stateOf(w)] = (counts[stateOf(w)] || 0) + 1; });
    document.getElementById('fleet-summary').innerHTML = `<span><strong>${view.workers.length}</strong> workers</span>`
      + ['healthy', 'degraded', 'unhealthy', 'unknown', 'gone'].filter((s) => counts[s])
        .map((s) => `<span>${stateLabel(s)} <strong>${counts[s]}</strong></span>`).join('')
      + (shown.length !== view.workers.length ? `<span>${shown.length} shown</span>` : '');
    if (focused) document.querySelector(`tr[data-worker="${CSS.escape(focused)}"] a`)?.focus();
  };

  const load = async () => {
    const fleet = await api('/api/v1/fleet');
    view.workers = fleet.workers;
    performance.mark('vitals:fleet-fetched');
    render();
    performance.mark('vitals:fleet-rendered');
    if (performance.getEntriesByName('vitals:fleet-painted').length === 0) {
      // Two frames on, the rows have been painted: what `bin/vitals bench dashboard` measures.
      requestAnimationFrame(() => requestAnimationFrame(() => performance.mark('vitals:fleet-painted')));
    }
  };

  const reloadWorker = async (id) => {
    try {
      const one = await api(`/api/v1/fleet?worker_id=${encodeURIComponent(id)}`);
      const index = view.workers.findIndex((w) => w.worker_id === id);
      if (index < 0) view.workers.push(one.workers[0]);
      else view.workers[index] = one.workers[0];
      render();
    } catch (e) {
      if (e.status === 404) return load();
      throw e;
    }
  };

  document.getElementById('filter').addEventListener('input', (e) => { view.filter = e.target.value; render(); });
  document.getElementById('status-filter').addEventListener('change', (e) => { view.status = e.target.value; render(); });
  document.getElementById('order').addEventListener('change', (e) => { view.order = e.target.value; render(); });

  return {
    load,
    onEvent(event) {
      const id = event.data?.worker_id;
      if (event.type === 'snapshot' || (event.type === 'task' && !id)) later('fleet', load, 1000);
      else if (id && (event.type === 'state' || event.type === 'alert')) later(`fleet-${id}`, () => reloadWorker(id), 150);
      else if (id && event.type === 'task') later(`fleet-${id}`, () => reloadWorker(id), 1500);
    },
  };
}

// The 90-day strips: hover shows a day's figures, and so do the arrow keys on a focused strip.
function stripDay(canvas, index) {
  const days = daysOf(findWorker(canvas.dataset.worker) || {});
  const i = Math.max(0, Math.min(days.length - 1, index));
  canvas.dataset.sel = String(i);
  drawStrip(canvas);
  const text = days[i] ? dayText(days[i]) : '';
  canvas.nextElementSibling.textContent = text;
  return text;
}

/** The workers whose strips are on the page, by id: the strips' figures come from them. */
const shownWorkers = new Map();

function findWorker(id) {
  return shownWorkers.get(id);
}

document.addEventListener('mousemove', (e) => {
  const canvas = e.target.closest?.('canvas.strip');
  if (!canvas) {
    tip.hidden = true;
    return;
  }
  const text = stripDay(canvas, Math.floor(e.offsetX / STRIP_BOX));
  tip.textContent = text;
  tip.hidden = !text;
  tip.style.left = `${Math.min(e.clientX + 12, window.innerWidth - 330)}px`;
  tip.style.top = `${e.clientY + 14}px`;
});

document.addEventListener('keydown', (e) => {
  const canvas = e.target.closest?.('canvas.strip');
  if (!canvas) return;
  const steps = { ArrowLeft: -1, ArrowRight: 1, Home: -1000, End: 1000 };
  if (!(e.key in steps)) return;
  e.preventDefault();
  stripDay(canvas, Number(canvas.dataset.sel ?? 89) + steps[e.key]);
});

document.addEventListener('focusin', (e) => {
  if (e.target.matches?.('canvas.strip')) stripDay(e.target, Number(e.target.dataset.sel ?? 89));
});

// ---------------------------------------------------------------- a worker

const RANGES = {
  '1h': { seconds: 3600, step: null }, '24h': { seconds: 86400, step: null }, '7d': { seconds: 7 * 86400, step: '1h' },
  '30d': { seconds: 30 * 86400, step: '1h' }, '1y': { seconds: 365 * 86400, step: '1d' },
};

function css(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

async function drawChart(element, workerId, check, range, lastPoint) {
  const { seconds, step } = RANGES[range];
  const to = new Date();
  const from = new Date(to.getTime() - seconds * 1000);
  const query = `check=${check}&from=${from.toISOString()}&to=${to.toISOString()}${step ? `&step=${step}` : ''}`;
  const history = await api(`/api/v1/workers/${encodeURIComponent(workerId)}/history?${query}`);
  const rows = step ? history.buckets.filter((b) => b.avg !== null) : history.points.filter((p) => p.value !== null);
  const unit = GRADED[check][1];
  element.innerHTML = `<h3>${check}${unit ? ` <span class="muted">(${esc(unit.trim())})</span>` : ''}</h3>`;
  if (rows.length === 0) {
    element.insertAdjacentHTML('beforeend', `<p class="empty">No ${check} values in this range yet.</p>`);
    return;
  }
  const xs = rows.map((r) => new Date(r.at).getTime() / 1000);
  const values = rows.map((r) => (step ? r.avg : r.value));
  // The thresholds the latest value was graded with, drawn across the chart.
  const latest = step ? lastPoint : rows[rows.length - 1];
  const lines = [[latest?.warning, css('--warn-fill'), 'warning'], [latest?.error, css('--err'), 'error']]
    .filter(([value]) => value !== null && value !== undefined);
  element.querySelector('h3').insertAdjacentHTML('beforeend', lines.length
    ? ` <span class="muted">· ${lines.map(([value, , name]) => `${name} ${number(value)}`).join(' · ')}</span>` : '');
  const series = [{}, { label: step ? `${check} (mean)` : check, stroke: css('--link'), width: 1.5,
    points: { show: rows.length < 60 } }];
  const data = [xs, values];
  if (step) {
    series.push({ label: 'max', stroke: css('--muted'), width: 1, dash: [2, 3], points: { show: false } });
    data.push(rows.map((r) => r.max));
  }
  const axis = { stroke: css('--muted'), grid: { stroke: css('--line'), width: 1 }, ticks: { stroke: css('--line') } };
  const width = Math.max(280, element.clientWidth - 18);
  const top = Math.max(...values.filter((v) => v !== null), ...lines.map(([value]) => value));
  const drawThresholds = (u) => {
    const { ctx } = u;
    ctx.save();
    ctx.lineWidth = 1.5 * devicePixelRatio;
    ctx.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
    for (const [value, colour] of lines) {
      const y = u.valToPos(value, 'y', true);
      ctx.strokeStyle = colour;
      ctx.beginPath();
      ctx.moveTo(u.bbox.left, y);
      ctx.lineTo(u.bbox.left + u.bbox.width, y);
      ctx.stroke();
    }
    ctx.restore();
  };
  // uPlot draws on a canvas: the figures are also given as text, for those who cannot see the chart.
  const plot = new uPlot({
    width, height: 170, series, axes: [axis, { ...axis, size: 56 }],
    scales: { x: { time: true, range: () => [from.getTime() / 1000, to.getTime() / 1000] },
      y: { range: () => [0, top > 0 ? top * 1.08 : 1] } },
    hooks: { draw: [drawThresholds] },
  }, data, element);
  plot.root.setAttribute('role', 'img');
  const last = values[values.length - 1];
  plot.root.setAttribute('aria-label', `${check} over ${range}: ${rows.length} ${step ? 'buckets' : 'values'},`
    + ` lowest ${number(Math.min(...values))}, highest ${number(Math.max(...values))}, latest ${number(last)}`);
}

/**
 * Why a check has its status: the report's own sentence (its reason); for reports of workers older than that,
 * its value against the threshold that decided it, or why it could not be read.
 */
function gradeReason(check, value) {
  if (typeof check.reason === 'string' && check.reason) return check.reason;
  if (check.status === 'unknown') return check.error || 'could not be read';
  if (value === undefined || value === null) return '';
  if (check.status === 'error') return `${number(value)} ≥ error ${number(check.error)}`;
  if (check.status === 'warning') return `${number(value)} ≥ warning ${number(check.warning)}`;
  return `${number(value)} < warning ${number(check.warning)}`;
}

/** The fields of a check besides its grade, briefly: numbers rounded, lists of numbers joined, lists of objects counted. */
function details(check, graded) {
  return Object.entries(check).filter(([k]) => !['status', 'warning', 'error', 'reason', 'scope_note', graded].includes(k)).map(([k, v]) => {
    const name = k.replaceAll('_', ' ');
    if (typeof v === 'number') return `${name} ${number(v)}`;
    if (Array.isArray(v)) return v.every((x) => typeof x === 'number') ? `${name} ${v.map(number).join(' / ')}` : `${v.length} ${name}`;
    if (v !== null && typeof v === 'object') return '';
    return `${name} ${v}`;
  }).filter(Boolean).join(', ');
}

function reportTable(report) {
  const rows = CHECKS.filter((c) => report.checks && report.checks[c]).map((name) => {
    const check = report.checks[name];
    const [field, unit] = GRADED[name];
    const value = check[field];
    return `<tr><th scope="row">${name}</th><td class="num">${number(value)}${esc(unit)}</td>
      <td class="num">${number(check.warning)}</td><td class="num">${number(check.error)}</td>
      <td>${pill(check.status)}</td><td>${esc(gradeReason(check, value))}</td>
      <td class="muted">${esc(check.status === 'unknown' ? '' : details(check, field))}</td></tr>`;
  }).join('');
  return `<div class="report"><p>${workerLink(report.worker_id)} on <strong>${esc(report.hostname)}</strong>: ${pill(report.status)}
    at ${time(report.timestamp)}${report.duration_ms !== undefined ? `, in ${number(report.duration_ms)} ms` : ''}</p>
    <div class="scroll"><table><thead><tr><th scope="col">Check</th><th scope="col" class="num">Value</th>
    <th scope="col" class="num">Warning</th><th scope="col" class="num">Error</th><th scope="col">Status</th>
    <th scope="col">Why</th><th scope="col">Details</th></tr></thead><tbody>${rows}</tbody></table></div></div>`;
}

function reportsOf(task) {
  if (!task.result) return [];
  return task.result.reports ? task.result.reports : [task.result];
}

function workerPage(id) {
  const view = { range: '1h', worker: null };
  main.innerHTML = `<h1>Worker <code>${esc(id)}</code></h1>
    <div id="worker-head"><p class="muted">Loading…</p></div>
    <section aria-labelledby="check-now-title">
      <h2 id="check-now-title">Check now</h2>
      <button id="check-now" type="button" class="operator">Check this worker now</button>
      <span class="operator-note">operator action: posts a task</span>
      <div id="check-result" aria-live="polite"></div>
    </section>
    <section aria-labelledby="charts-title">
      <h2 id="charts-title">History</h2>
      <div class="ranges" role="group" aria-label="Range">${Object.keys(RANGES).map((r) => `<button type="button" data-range="${r}" aria-pressed="${r === view.range}">${r}</button>`).join('')}</div>
      <div class="charts" id="charts">${CHECKS.map((c) => `<div class="chart" id="chart-${c}"></div>`).join('')}</div>
    </section>
    <section aria-labelledby="transitions-title"><h2 id="transitions-title">Transitions</h2><div id="transitions"></div></section>
    <section aria-labelledby="tasks-title"><h2 id="tasks-title">Recent tasks</h2><div id="tasks"></div></section>
    <section aria-labelledby="alerts-title"><h2 id="alerts-title">Alerts</h2><div id="worker-alerts"></div></section>`;

  const head = async () => {
    const fleet = await api(`/api/v1/fleet?worker_id=${encodeURIComponent(id)}`);
    const worker = fleet.workers[0];
    view.worker = worker;
    shownWorkers.set(worker.worker_id, worker);
    const status = stateOf(worker);
    const state = worker.state || {};
    document.getElementById('worker-head').innerHTML = `<div class="cards">
      <div class="card"><div class="k">State</div><div class="v" id="worker-state" data-status="${esc(status)}">${stateLabel(status)}
        ${state.flapping ? '<span class="flapping">flapping</span>' : ''}</div><div class="k">since ${agoTime(state.since)}</div></div>
      <div class="card"><div class="k">Runs in a row</div><div class="v">${state.consecutive_failures ?? 0} failed · ${state.consecutive_successes ?? 0} good</div>
        <div class="k">last run ${agoTime(state.last_run_at)}</div></div>
      <div class="card"><div class="k">Heartbeat</div><div class="v">${agoTime(worker.last_seen)}</div>
        <div class="k">${worker.alive ? 'alive' : 'not alive'}, started ${agoTime(worker.started_at)}</div></div>
      <div class="card"><div class="k">Host</div><div class="v">${esc(worker.hostname)}</div><div class="k">version ${esc(worker.version)}</div></div>
      <div class="card"><div class="k">Uptime 24 h · 30 d · 90 d</div>${uptimes(worker.uptime || {})}</div>
    </div>
    <div class="checks" aria-label="Checks of the last run">${CHECKS.map((c) => checkBar(c, worker.last_run?.checks?.[c])).join('')}</div>
    <p class="muted">Last 90 days</p>${strip(worker)}`;
    drawStrips();
  };

  const charts = async () => {
    document.querySelectorAll('.ranges button').forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.range === view.range)));
    await Promise.all(CHECKS.map((c) => drawChart(document.getElementById(`chart-${c}`), id, c, view.range,
      view.worker?.last_run?.checks?.[c])));
  };

  const transitions = async () => {
    const list = (await api(`/api/v1/workers/${encodeURIComponent(id)}/transitions?limit=20`)).transitions;
    document.getElementById('transitions').innerHTML = list.length === 0 ? '<p class="muted">No transitions yet.</p>'
      : `<div class="scroll"><table><thead><tr><th scope="col">When</th><th scope="col">Of</th><th scope="col">From</th>
        <th scope="col">To</th><th scope="col">Why</th><th scope="col">Run</th></tr></thead><tbody>${list.map((t) => `<tr>
        <td>${time(t.at)}</td><td>${t.check ? esc(t.check) : 'worker'}</td><td>${stateLabel(t.from)}</td>
        <td>${stateLabel(t.to)}${t.flapping ? ' <span class="flapping">flapping</span>' : ''}</td>
        <td>${esc(reasonText(t.reason))}</td><td>${taskLink(t.task_id)}</td></tr>`).join('')}</tbody></table></div>`;
  };

  const tasks = async () => {
    const list = (await api(`/api/v1/health-checks?worker_id=${encodeURIComponent(id)}&limit=15`)).tasks;
    document.getElementById('tasks').innerHTML = list.length === 0 ? '<p class="muted">No tasks yet.</p>'
      : `<div class="scroll"><table><thead><tr><th scope="col">Task</th><th scope="col">Created</th><th scope="col">Status</th>
        <th scope="col">Health</th><th scope="col">Schedule</th></tr></thead><tbody>${list.map((t) => `<tr>
        <td>${taskLink(t.task_id)}</td><td>${time(t.created_at)}</td><td>${pill(t.status)}</td>
        <td>${t.result ? pill(t.result.status) : ''}</td><td>${esc(t.schedule || 'on demand')}</td></tr>`).join('')}</tbody></table></div>`;
  };

  const alerts = async () => {
    const list = (await api(`/api/v1/alerts?worker_id=${encodeURIComponent(id)}&limit=20`)).alerts;
    document.getElementById('worker-alerts').innerHTML = list.length === 0 ? '<p class="muted">No alerts.</p>' : alertsTable(list);
  };

  document.querySelector('.ranges').addEventListener('click', (e) => {
    const range = e.target.dataset?.range;
    if (!range) return;
    view.range = range;
    charts().catch(showError);
  });

  document.getElementById('check-now').addEventListener('click', async (e) => {
    const button = e.target;
    const result = document.getElementById('check-result');
    button.disabled = true;
    result.innerHTML = '<p class="muted">Checking…</p>';
    try {
      const task = await post('/api/v1/health-checks?wait=30', { target: id });
      result.innerHTML = `<p>Task ${taskLink(task.task_id)}: ${pill(task.status)}${task.error ? ` — ${esc(task.error)}` : ''}</p>`
        + reportsOf(task).map(reportTable).join('');
      if (task.status === 'queued' || task.status === 'running') {
        result.insertAdjacentHTML('beforeend', '<p class="muted">No report within 30 s: the task page shows it when it comes.</p>');
      }
    } catch (error) {
      result.innerHTML = `<p class="error" role="alert">${esc(error.message)}</p>`;
    } finally {
      button.disabled = false;
    }
  });

  return {
    async load() {
      await head();
      await Promise.all([charts(), transitions(), tasks(), alerts()]);
    },
    onEvent(event) {
      if (event.type === 'snapshot') {
        later('worker', () => this.load(), 500);
        return;
      }
      if (event.data?.worker_id !== id) return;
      if (event.type === 'state') later('worker-state', () => Promise.all([head(), transitions()]), 150);
      if (event.type === 'task') later('worker-task', () => Promise.all([head(), tasks(), charts()]), 1000);
      if (event.type === 'alert') later('worker-alert', alerts, 150);
    },
  };
}

// ---------------------------------------------------------------- a task

function taskPage(id) {
  main.innerHTML = `<h1>Task <code>${esc(id)}</code></h1><div id="task"><p class="muted">Loading…</p></div>`;
  const load = async () => {
    const task = await api(`/api/v1/health-checks/${encodeURIComponent(id)}`);
    const missing = task.result?.missing_workers || [];
    document.getElementById('task').innerHTML = `<div class="cards">
      <div class="card"><div class="k">Status</div><div class="v" id="task-status">${pill(task.status)}</div>
        <div class="k">${task.error ? esc(task.error) : task.result ? `health ${esc(task.result.status)}` : ''}</div></div>
      <div class="card"><div class="k">Target</div><div class="v">${task.target === 'any' || task.target === 'all' ? esc(task.target) : workerLink(task.target)}</div>
        <div class="k">${task.schedule ? `schedule ${esc(task.schedule)}` : 'on demand'}</div></div>
      <div class="card"><div class="k">Created</div><div class="v">${time(task.created_at)}</div></div>
      <div class="card"><div class="k">Completed</div><div class="v">${time(task.completed_at)}</div>
        <div class="k">${task.worker_id ? `by ${workerLink(task.worker_id)}` : ''}</div></div>
      ${task.trace_id ? `<div class="card"><div class="k">Trace</div><div class="v"><code>${esc(task.trace_id)}</code></div></div>` : ''}
    </div>
    ${missing.length ? `<p class="notice">No report from ${missing.map(workerLink).join(', ')}.</p>` : ''}
    ${reportsOf(task).map(reportTable).join('') || '<p class="muted">No report yet.</p>'}`;
  };
  return {
    load,
    onEvent(event) {
      if (event.type === 'snapshot' || (event.type === 'task' && event.data.task_id === id)) later('task', load, 200);
    },
  };
}

// ---------------------------------------------------------------- alerts and silences

function alertsTable(list) {
  return `<div class="scroll"><table><thead><tr><th scope="col">Status</th><th scope="col">Worker</th><th scope="col">Cause</th>
    <th scope="col">Why</th><th scope="col">Opened</th><th scope="col">Resolved</th><th scope="col">Notifications</th></tr></thead>
    <tbody>${list.map((a) => `<tr data-alert="${a.id}"><td>${pill(a.status)}</td><td>${workerLink(a.worker_id)}</td>
    <td>${esc(a.cause)}${a.check ? ` (${esc(a.check)})` : ''}</td><td>${esc(a.reason)}</td><td>${time(a.opened_at)}</td>
    <td>${time(a.resolved_at)}</td><td>${(a.notifications || []).map((n) => `<div>${esc(n.channel)} ${esc(n.kind)}: ${pill(n.status)}
      <span class="muted">${n.attempts} attempt${n.attempts === 1 ? '' : 's'}${n.error ? `, ${esc(n.error)}` : ''}</span></div>`).join('')
      || '<span class="muted">none</span>'}</td></tr>`).join('')}</tbody></table></div>`;
}

function alertsPage() {
  main.innerHTML = `<h1>Alerts</h1>
    <section aria-labelledby="open-title"><h2 id="open-title">Open</h2><div id="alerts-open"></div></section>
    <section aria-labelledby="silences-title"><h2 id="silences-title">Silences</h2>
      <p class="muted">While a silence holds, alerts it covers still open and resolve, but nobody is notified.</p>
      <div id="silences"></div>
      <h3>New silence <span class="operator-note">operator action</span></h3>
      <form class="silence" id="silence-form">
        <label>Worker <select name="worker_id" id="silence-worker"><option value="">every worker</option></select></label>
        <label>Check <select name="check"><option value="">every check</option>${CHECKS.map((c) => `<option>${c}</option>`).join('')}</select></label>
        <label>For <select name="hours"><option value="1">1 hour</option><option value="4">4 hours</option>
          <option value="24">1 day</option><option value="168">7 days</option></select></label>
        <label class="wide">Why (required) <input name="reason" id="silence-reason" required maxlength="1000"
          placeholder="planned maintenance of the disks"></label>
        <div><button type="submit" class="operator primary">Create silence</button></div>
        <p id="silence-result" class="wide" aria-live="polite"></p>
      </form>
    </section>
    <section aria-labelledby="resolved-title"><h2 id="resolved-title">Resolved</h2><div id="alerts-resolved"></div></section>`;

  const alerts = async () => {
    const [open, resolved] = await Promise.all([api('/api/v1/alerts?status=open&limit=200'),
      api('/api/v1/alerts?status=resolved&limit=50')]);
    document.getElementById('alerts-open').innerHTML = open.alerts.length ? alertsTable(open.alerts) : '<p class="muted">No open alert.</p>';
    document.getElementById('alerts-resolved').innerHTML = resolved.alerts.length ? alertsTable(resolved.alerts) : '<p class="muted">None yet.</p>';
  };

  const silences = async () => {
    const list = (await api('/api/v1/silences')).silences;
    document.getElementById('silences').innerHTML = list.length === 0 ? '<p class="muted">No silence.</p>'
      : `<div class="scroll"><table><thead><tr><th scope="col">Worker</th><th scope="col">Check</th><th scope="col">From</th>
        <th scope="col">Until</th><th scope="col">Why</th><th scope="col"></th></tr></thead><tbody>${list.map((s) => `<tr data-silence="${esc(s.id)}">
        <td>${s.worker_id ? workerLink(s.worker_id) : 'every worker'}</td><td>${esc(s.check || 'every check')}</td>
        <td>${time(s.starts_at)}</td><td>${time(s.ends_at)}</td><td>${esc(s.reason)}</td>
        <td><button type="button" class="operator" data-end="${esc(s.id)}">End now</button></td></tr>`).join('')}</tbody></table></div>`;
  };

  const workers = async () => {
    const list = (await api('/api/v1/workers')).workers;
    document.getElementById('silence-worker').insertAdjacentHTML('beforeend',
      list.map((w) => `<option value="${esc(w.worker_id)}">${esc(w.worker_id)}</option>`).join(''));
  };

  document.getElementById('silence-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const form = new FormData(e.target);
    const result = document.getElementById('silence-result');
    const body = {
      ends_at: new Date(Date.now() + Number(form.get('hours')) * 3600 * 1000).toISOString(),
      reason: form.get('reason'),
    };
    if (form.get('worker_id')) body.worker_id = form.get('worker_id');
    if (form.get('check')) body.check = form.get('check');
    try {
      const silence = await post('/api/v1/silences', body);
      result.className = 'wide';
      result.innerHTML = `Silence created, until ${time(silence.ends_at)}.`;
      e.target.reset();
      await silences();
    } catch (error) {
      result.className = 'wide error';
      result.textContent = error.message;
    }
  });

  document.getElementById('silences').addEventListener('click', async (e) => {
    const id = e.target.dataset?.end;
    if (!id) return;
    e.target.disabled = true;
    try {
      await api(`/api/v1/silences/${encodeURIComponent(id)}`, { method: 'DELETE' });
    } finally {
      await silences();
    }
  });

  return {
    async load() {
      await Promise.all([alerts(), silences(), workers()]);
    },
    onEvent(event) {
      if (event.type === 'alert' || event.type === 'snapshot') later('alerts', alerts, 200);
    },
  };
}

// ---------------------------------------------------------------- routing

async function route() {
  const path = location.hash.replace(/^#/, '') || '/';
  const worker = path.match(/^\/workers\/([^/]+)$/);
  const task = path.match(/^\/tasks\/([^/]+)$/);
  document.querySelectorAll('[data-nav]').forEach((a) => a.removeAttribute('aria-current'));
  main.setAttribute('aria-busy', 'true');
  if (worker) {
    page = workerPage(decodeURIComponent(worker[1]));
    document.title = `${decodeURIComponent(worker[1])} · Vitals`;
  } else if (task) {
    page = taskPage(decodeURIComponent(task[1]));
    document.title = 'Task · Vitals';
  } else if (path === '/alerts') {
    page = alertsPage();
    document.querySelector('[data-nav="alerts"]').setAttribute('aria-current', 'page');
    document.title = 'Alerts · Vitals';
  } else {
    page = fleetPage();
    document.querySelector('[data-nav="fleet"]').setAttribute('aria-current', 'page');
    document.title = 'Fleet · Vitals';
  }
  const shown = page;
  try {
    await shown.load();
  } catch (error) {
    if (shown === page) showError(error);
  } finally {
    main.setAttribute('aria-busy', 'false');
    main.dataset.loaded = location.hash || '#/';
  }
}

window.addEventListener('hashchange', () => {
  main.focus();
  route();
});

document.getElementById('token-button').hidden = !token;
document.getElementById('token-button').addEventListener('click', () => {
  token = null;
  sessionStorage.removeItem(TOKEN_KEY);
  document.getElementById('token-button').hidden = true;
  location.reload();
});

// Ages ("12 s ago") move on by themselves; nothing is fetched for it.
setInterval(() => {
  document.querySelectorAll('time[data-ago]').forEach((t) => { t.textContent = ago(t.getAttribute('datetime')); });
}, 5000);

route().then(() => {
  refreshOpenAlerts().catch(() => {});
  stream();
});
