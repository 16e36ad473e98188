// The audit log: every staff action as a sentence, with who and when, narrowed by staff member,
// kind and days (kept in the address). New actions arrive live on the admin topic.
import { api } from '../api.js';
import { clearFieldErrors, isEmail, setFieldError, withBusy } from '../forms.js';
import { mountPage } from '../page.js';
import { table } from '../table.js';
import { $, h, formatDateTime, relativeTime } from '../ui.js';
import { isoDay, putRange, rangeProblems } from '../admin/date-range.js';

const LIMIT = 500;
const form = $('#audit-filters');
const f = form.elements;
let page = null;
let seq = 0;

const KIND_LABEL = {
  quote: 'Quote', order: 'Order', buyer: 'Buyer', staff: 'Staff', approval: 'Approval', policy: 'Policy', markup: 'Markup', marketplace: 'Marketplace',
};

function kindTag(kind) {
  const group = String(kind || '').split('.')[0];
  return h('span', { class: `tag audit-kind audit-kind-${group}`, title: kind, text: KIND_LABEL[group] || kind });
}

// Where an entry's subject can be opened: a buyer's page; the rest are named in the sentence.
function subjectLink(e) {
  if (String(e.kind).startsWith('buyer.') && e.subject) return h('a', { href: `/admin-buyer.html?id=${encodeURIComponent(e.subject)}`, class: 'sub', text: 'Open buyer' });
  return null;
}

function render(entries) {
  $('#audit-table').replaceChildren(table({
    class: 'audit-table',
    caption: 'Staff actions, newest first',
    columns: [
      { label: 'When', class: 'nowrap', cell: (e) => [h('time', { datetime: e.at, text: formatDateTime(e.at) }), h('span', { class: 'sub', text: relativeTime(e.at) })] },
      { label: 'Who', cell: (e) => h('span', { class: 'audit-actor', text: e.actor || '—' }) },
      { label: 'What', cell: (e) => [h('span', { class: 'audit-summary', text: e.summary }), subjectLink(e)] },
      { label: 'Kind', cell: (e) => kindTag(e.kind) },
    ],
    rows: entries,
    rowAttrs: (e) => ({ dataset: { kind: e.kind } }),
    empty: 'No staff actions match these filters.',
  }));
  $('#audit-count').textContent = entries.length >= LIMIT ? `The newest ${LIMIT}` : `${entries.length} ${entries.length === 1 ? 'action' : 'actions'}`;
  document.body.dataset.auditCount = String(entries.length);
}

function query() {
  const q = putRange(new URLSearchParams({ limit: String(LIMIT) }), f.from.value, f.to.value);
  if (f.actor.value.trim()) q.set('actor', f.actor.value.trim().toLowerCase());
  if (f.kind.value) q.set('kind', f.kind.value);
  return q;
}

function problems() {
  const out = rangeProblems(f.from, f.to);
  if (f.actor.value.trim() && !isEmail(f.actor.value.trim())) out.unshift(['actor', 'Give a staff e-mail address, or leave it empty for anyone.']);
  return out;
}

async function load() {
  clearFieldErrors(form);
  const found = problems();
  if (found.length) {
    for (const [name, message] of found) setFieldError(form, name, message);
    return;
  }
  const mine = ++seq;
  try {
    const data = await api.get(`/api/admin/audit?${query()}`);
    if (mine !== seq) return;
    page.clearError();
    render(Array.isArray(data.entries) ? data.entries : []);
  } catch (err) {
    if (mine !== seq) return;
    if (['actor', 'kind', 'from', 'to'].includes(err.field)) setFieldError(form, err.field, err.message);
    else page.error(err, 'Could not load the audit log');
  }
}

function readAddress() {
  const q = new URLSearchParams(location.search);
  if (q.get('actor')) f.actor.value = q.get('actor');
  if ([...f.kind.options].some((o) => o.value === q.get('kind'))) f.kind.value = q.get('kind');
  if (isoDay(q.get('from'))) f.from.value = q.get('from');
  if (isoDay(q.get('to'))) f.to.value = q.get('to');
}

function writeAddress() {
  const q = new URLSearchParams();
  for (const name of ['actor', 'kind', 'from', 'to']) if (f[name].value.trim()) q.set(name, f[name].value.trim());
  const s = q.toString();
  history.replaceState(null, '', `${location.pathname}${s ? `?${s}` : ''}`);
}

let timer = null;
function reloadSoon() {
  clearTimeout(timer);
  timer = setTimeout(load, 300);
}

mountPage({
  auth: 'staff',
  topics: ['admin'],
  async load(p) {
    page = p;
    readAddress();
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      writeAddress();
      withBusy($('#audit-apply'), load);
    });
    form.addEventListener('change', (ev) => {
      if (ev.target === f.actor) return; // applied with the button or Enter, not on every blur
      writeAddress();
      load();
    });
    form.addEventListener('reset', () => setTimeout(() => {
      writeAddress();
      load();
    }, 0));
    page.realtime.on('event', (msg) => {
      if (msg.event === 'staff.action' || msg.event === 'quote.changed' || msg.event === 'order.changed') reloadSoon();
    });
    page.realtime.on('resync', reloadSoon);
    await load();
  },
});
