// The marketplace parameters (GET|PUT /api/admin/marketplace): which sources and categories are
// searched, the listed-price window, and how politely we ask (rate, burst, concurrency, cache,
// pause after a block). Only changed fields are sent; inputs are named as the JSON fields so a
// server error lands beside its input. The audit says who changed what, as sentences.
import { api } from '../api.js';
import { categories } from '../categories.js';
import { bindForm } from '../forms.js';
import { formatMoney } from '../offers.js';
import { majorText, parseMajor } from './quote-format.js';
import { $, h, showAlert, formatDateTime } from '../ui.js';

const SOURCE_NAMES = { api: 'Open-platform API', web: 'Listing pages' };

// key, label, kind: 'price' (minor units, empty = no limit) | 'int' | 'number' | 'text', unit
const NUMBERS = [
  { key: 'minListedPrice', label: 'Lowest listed price', kind: 'price' },
  { key: 'maxListedPrice', label: 'Highest listed price', kind: 'price' },
  { key: 'requestsPerSecond', label: 'Requests per second', kind: 'number', unit: '/s' },
  { key: 'burst', label: 'Burst', kind: 'int' },
  { key: 'concurrency', label: 'In flight per host', kind: 'int' },
  { key: 'imageRequestsPerSecond', label: 'Photo requests per second', kind: 'number', unit: '/s' },
  { key: 'cacheTTLSeconds', label: 'Cache results for', kind: 'int', unit: 's' },
  { key: 'pauseSeconds', label: 'Pause after a block for', kind: 'int', unit: 's' },
  { key: 'maxPages', label: 'Result pages per search', kind: 'int' },
  { key: 'imagesPerListing', label: 'Photos kept per listing', kind: 'int' },
  { key: 'refreshMinutes', label: 'Refresh the sourcing index every (0: off)', kind: 'int', unit: 'min' },
  { key: 'refreshPages', label: 'Pages per category and refresh', kind: 'int' },
  { key: 'minLocalListings', label: 'Fresh listings before searches stop asking live (0: always ask)', kind: 'int' },
  { key: 'currency', label: 'Currency', kind: 'text' },
];

let current = null;
let onSaved = () => {};

function shown(field, value) {
  if (field.kind === 'price') return Number.isInteger(value) ? majorText(value) : '';
  return value === null || value === undefined ? '' : String(value);
}

function numberInputs() {
  $('#settings-numbers').replaceChildren(...NUMBERS.map((f) => {
    const id = `ms-${f.key}`;
    const input = h('input', { id, name: f.key, type: 'text', inputmode: f.kind === 'text' ? null : 'decimal', autocomplete: 'off',
      placeholder: f.kind === 'price' ? 'no limit' : null });
    const control = f.kind === 'price' ? h('span', { class: 'input-prefix' }, h('span', { text: '$' }), input)
      : f.unit ? h('span', { class: 'input-suffix' }, input, h('span', { text: f.unit })) : input;
    return h('div', { class: 'field' }, h('label', { for: id, text: f.label }), control,
      h('p', { class: 'field-error', dataset: { errorFor: f.key }, 'aria-live': 'polite' }));
  }));
}

async function fill(settings) {
  current = settings;
  $('#settings-sources').replaceChildren(...Object.keys(settings.sources || {}).sort().map((name) => h('label', { class: 'check' },
    h('input', { type: 'checkbox', name: `source:${name}`, value: name, checked: settings.sources[name] ? true : null }),
    ` ${SOURCE_NAMES[name] || name}`)));
  const list = await categories();
  const on = new Set(settings.categories || []);
  $('#settings-categories').replaceChildren(...list.map((c) => h('label', { class: 'check' },
    h('input', { type: 'checkbox', name: 'category', value: c.id, checked: on.has(c.id) ? true : null }), ` ${c.plural}`)));
  for (const f of NUMBERS) $(`#ms-${f.key}`).value = shown(f, settings[f.key]);
}

// The fields that changed, as PUT wants them, and the problems found on the page.
function collect(form) {
  const patch = {};
  const problems = [];
  const sources = {};
  for (const box of form.querySelectorAll('input[name^="source:"]')) {
    if (box.checked !== !!current.sources[box.value]) sources[box.value] = box.checked;
  }
  if (Object.keys(sources).length) patch.sources = sources;
  const cats = [...form.querySelectorAll('input[name="category"]:checked')].map((b) => b.value);
  if (!cats.length) problems.push(['categories', 'Source at least one category.']);
  else if ([...cats].sort().join() !== [...(current.categories || [])].sort().join()) patch.categories = cats;
  for (const f of NUMBERS) {
    const text = $(`#ms-${f.key}`).value.trim();
    let value;
    if (f.kind === 'price') {
      value = text ? parseMajor(text) : null;
      if (text && value === null) { problems.push([f.key, 'An amount such as 12 or 12.50, or empty for no limit.']); continue; }
    } else if (f.kind === 'text') {
      if (!/^[A-Z]{3}$/.test(text)) { problems.push([f.key, 'A three-letter currency code such as USD.']); continue; }
      value = text;
    } else {
      value = Number(text);
      if (!text || !Number.isFinite(value) || value < 0 || (f.kind === 'int' && !Number.isInteger(value))) {
        problems.push([f.key, f.kind === 'int' ? 'A whole number.' : 'A number such as 1 or 0.5.']);
        continue;
      }
    }
    if (value !== (current[f.key] ?? null)) patch[f.key] = value;
  }
  return { patch, problems };
}

// ---------- the audit, in words ----------

const LABELS = Object.fromEntries(NUMBERS.map((f) => [f.key, f.label.toLowerCase()]));

function valueWords(key, v) {
  if (key === 'minListedPrice' || key === 'maxListedPrice') return Number.isInteger(v) ? formatMoney(v, current?.currency || 'USD') : 'no limit';
  if (key === 'sources') return Object.entries(v || {}).filter(([, on]) => on).map(([n]) => SOURCE_NAMES[n] || n).join(', ') || 'none';
  if (key === 'categories') return (v || []).join(', ') || 'none';
  return String(v);
}

export function changeWords(oldS = {}, newS = {}) {
  const keys = new Set([...Object.keys(oldS), ...Object.keys(newS)]);
  return [...keys].filter((k) => JSON.stringify(oldS[k]) !== JSON.stringify(newS[k]))
    .map((k) => `${LABELS[k] || (k === 'sources' ? 'sources' : k === 'categories' ? 'categories' : k)} ${valueWords(k, oldS[k])} → ${valueWords(k, newS[k])}`);
}

export async function loadSettingsAudit() {
  const data = await api.get('/api/admin/marketplace/audit?limit=50');
  const entries = Array.isArray(data.entries) ? data.entries : [];
  $('#settings-audit').replaceChildren(...entries.map((e) => {
    const changes = changeWords(e.old, e.new);
    return h('li', { dataset: { id: String(e.id) } },
      h('span', {}, changes.length ? changes.map((c, i) => (i ? c : c.charAt(0).toUpperCase() + c.slice(1))).join('; ') : 'Saved without changes'),
      h('span', { class: 'sub', text: formatDateTime(e.at) }),
      h('span', { class: 'sub', text: e.actorEmail || '' }));
  }));
  $('#settings-audit-empty').hidden = entries.length > 0;
}

export function showSettings(overview) {
  const card = $('#settings-card');
  card.hidden = !overview.configured;
  if (overview.configured && overview.settings && !$('#settings-form').contains(document.activeElement)) fill(overview.settings);
}

export function mountSettings(overview, { saved } = {}) {
  onSaved = saved || onSaved;
  numberInputs();
  showSettings(overview);
  const alertBox = $('#settings-alert');
  bindForm($('#settings-form'), {
    alert: alertBox,
    check: (form) => (current ? collect(form).problems : [['categories', 'The parameters have not loaded yet.']]),
    async submit(form) {
      const { patch } = collect(form);
      if (!Object.keys(patch).length) {
        showAlert(alertBox, 'info', 'Nothing changed.');
        return;
      }
      const o = await api.put('/api/admin/marketplace', patch);
      await fill(o.settings);
      showAlert(alertBox, 'success', `${Object.keys(patch).length} parameter${Object.keys(patch).length === 1 ? '' : 's'} changed. The next marketplace search uses them.`, 'Parameters saved');
      onSaved(o);
      await loadSettingsAudit();
    },
  });
  return overview.configured ? loadSettingsAudit() : Promise.resolve();
}
