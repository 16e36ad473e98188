// The markups card: one table, a row per category (and the global row), a column per kind of
// offer (our inventory; marketplace listings, when the server prices them). Inputs are named
// by their JSON path in PUT /api/admin/markups ("perCategory.ring", "marketplace.global"), so a
// server error naming a field lands beside its input. An empty category uses the global markup.
import { api } from '../api.js';
import { categories } from '../categories.js';
import { bindForm } from '../forms.js';
import { table } from '../table.js';
import { $, h, showAlert, formatDateTime } from '../ui.js';

// Basis points ↔ percent text without floating point: 2750 ↔ "27.5".
export function bpToPercent(bp) {
  if (!Number.isInteger(bp)) return '';
  const whole = Math.trunc(bp / 100);
  const frac = String(bp % 100).padStart(2, '0').replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : String(whole);
}

export function percentToBp(text) {
  const m = /^(\d{1,4})(?:\.(\d{1,2}))?$/.exec(String(text).trim());
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] || '0').padEnd(2, '0'));
}

// The two kinds of markup: where each lives in the markups document and how its inputs are named.
const KINDS = [
  { key: 'inventory', label: 'Inventory', idPrefix: 'markup', of: (m) => m, name: (path) => path },
  { key: 'marketplace', label: 'Marketplace', idPrefix: 'market-markup', of: (m) => m.marketplace, name: (path) => `marketplace.${path}` },
];

const form = $('#markups-form');
const alertBox = $('#markups-alert');
let markups = null;
let kinds = [];  // the kinds this server reports
let rows = [];   // [{ id: 'global' | category id, label }]

function markupInput(kind, row) {
  const path = row.id === 'global' ? 'global' : `perCategory.${row.id}`;
  const id = `${kind.idPrefix}-${row.id}`;
  return [
    h('label', { for: id, class: 'visually-hidden', text: `${row.label}, ${kind.label.toLowerCase()} markup` }),
    h('span', { class: 'input-suffix' },
      h('input', { id, name: kind.name(path), type: 'text', inputmode: 'decimal', autocomplete: 'off', dataset: { kind: kind.key, row: row.id } }),
      h('span', { text: '%' })),
    h('p', { class: 'field-error', dataset: { errorFor: kind.name(path) }, 'aria-live': 'polite' }),
  ];
}

function buildTable() {
  $('#markup-table').replaceChildren(table({
    class: 'markup-table',
    caption: 'Markups by category',
    columns: [
      { label: 'Category', rowHeader: true, cell: (row) => row.label },
      ...kinds.map((kind) => ({ label: kind.label, cell: (row) => markupInput(kind, row) })),
    ],
    rows,
    rowAttrs: (row) => ({ class: row.id === 'global' ? 'markup-global' : null }),
  }));
}

function fill(m) {
  markups = m;
  for (const kind of kinds) {
    const own = kind.of(m);
    for (const row of rows) {
      const input = $(`#${kind.idPrefix}-${row.id}`);
      if (row.id === 'global') {
        input.value = bpToPercent(own.global);
        continue;
      }
      const value = own.perCategory ? own.perCategory[row.id] : undefined;
      input.value = Number.isInteger(value) ? bpToPercent(value) : '';
      input.placeholder = bpToPercent(own.effective?.[row.id] ?? own.global);
      input.title = 'Empty: the global markup applies';
    }
  }
  $('#markups-rounding').textContent = m.rounding || '';
}

// The changes as PUT /api/admin/markups wants them, and the problems found on the page.
function collect() {
  const body = {};
  const problems = [];
  for (const kind of kinds) {
    const own = kind.of(markups);
    const part = {};
    const per = {};
    for (const row of rows) {
      const input = $(`#${kind.idPrefix}-${row.id}`);
      const text = input.value.trim();
      const old = row.id === 'global' ? own.global : own.perCategory?.[row.id];
      if (!text) {
        if (row.id === 'global') problems.push([input.name, 'A percentage such as 30 or 27.5.']);
        else if (Number.isInteger(old)) per[row.id] = null;
        continue;
      }
      const bp = percentToBp(text);
      if (bp === null) problems.push([input.name, 'A percentage such as 30 or 27.5.']);
      else if (bp !== old && row.id === 'global') part.global = bp;
      else if (bp !== old) per[row.id] = bp;
    }
    if (Object.keys(per).length) part.perCategory = per;
    if (!Object.keys(part).length) continue;
    if (kind.key === 'inventory') Object.assign(body, part);
    else body[kind.key] = part;
  }
  return { body, problems };
}

function scopeLabel(scope, labels) {
  const [kind, what] = String(scope).startsWith('marketplace') ? ['Marketplace', scope.split(':')[1]]
    : ['Inventory', scope === 'global' ? undefined : scope.replace(/^category:/, '')];
  return `${kind} · ${what ? labels.get(what) || what : 'global'}`;
}

async function loadAudit() {
  const [data, labels] = await Promise.all([
    api.get('/api/admin/markups/audit'),
    categories().then((list) => new Map(list.map((c) => [c.id, c.label]))),
  ]);
  const changes = Array.isArray(data.changes) ? data.changes : [];
  const pct = (bp) => (bp === null ? 'global' : `${bpToPercent(bp)}%`);
  $('#markup-audit').replaceChildren(...changes.slice(0, 50).map((c) => h('li', { dataset: { scope: c.scope } },
    h('span', {}, h('strong', { text: scopeLabel(c.scope, labels) }), ' ', `${pct(c.oldBasisPoints)} → ${pct(c.newBasisPoints)}`),
    h('span', { class: 'sub', text: formatDateTime(c.at) }),
    h('span', { class: 'sub', text: c.actorEmail || '' }))));
  $('#markup-audit-empty').hidden = changes.length > 0;
}

export async function loadMarkups() {
  const [data, list] = await Promise.all([api.get('/api/admin/markups'), categories()]);
  const m = data.markups || data;
  if (!markups) {
    kinds = KINDS.filter((kind) => kind.of(m));
    rows = [{ id: 'global', label: 'Global' }, ...list.map((c) => ({ id: c.id, label: c.label }))];
    buildTable();
  }
  fill(m);
  await loadAudit();
}

export function mountMarkups() {
  bindForm(form, {
    alert: alertBox,
    check: () => (markups ? collect().problems : [['global', 'The markups have not loaded yet.']]),
    async submit() {
      const { body } = collect();
      if (!Object.keys(body).length) {
        showAlert(alertBox, 'info', 'Nothing changed.');
        return;
      }
      const res = await api.put('/api/admin/markups', body);
      fill(res.markups);
      const n = Array.isArray(res.changes) ? res.changes.length : 0;
      showAlert(alertBox, 'success', `${n} change${n === 1 ? '' : 's'} recorded. New searches use these markups.`, 'Markups saved');
      await loadAudit();
    },
  });
  return loadMarkups();
}
