// One version of a quote as the buyer reads it: its lines (quantity, unit price, line total, MOQ,
// delivery), the total, payment terms, validity and notes, with every change against the version
// before marked where it happened ("was $12.00").
import { formatMoney } from '../offers.js';
import { h, icon } from '../ui.js';
import { dateText, daysValue, money, paymentTermsText, timeEl } from './labels.js';

const FIELD_LABEL = {
  quantity: 'Quantity', unitPrice: 'Unit price', lineTotal: 'Line total', moq: 'Minimum order', deliveryDays: 'Delivery',
  total: 'Total', paymentTerms: 'Payment terms', depositPercent: 'Deposit', balanceDue: 'Balance due', validUntil: 'Valid until',
  notes: 'Notes', line: 'Design', added: 'Design added', removed: 'Design removed',
};

export function changeValue(field, v, currency = 'USD') {
  if (v === null || v === undefined || v === '') return '—';
  // The server writes a change's values as text: "2500" is minor units for a price, days for delivery.
  if (typeof v === 'string' && /^-?\d+$/.test(v) && field !== 'line') v = Number(v);
  if (typeof v === 'object' && Number.isInteger(v.amount)) return money(v);
  if (typeof v === 'number' && /price|total|deposit$/i.test(field) && field !== 'depositPercent') return formatMoney(v, currency);
  if (field === 'deliveryDays') return daysValue(v);
  if (field === 'depositPercent') return `${v}%`;
  if (field === 'validUntil') return dateText(v);
  if (field === 'paymentTerms' && typeof v === 'object') return paymentTermsText(v);
  if (field === 'balanceDue') return String(v).replace(/_/g, ' ');
  if (typeof v === 'object') return v.title || JSON.stringify(v);
  return String(v);
}

// When the server sends no changes for a later version, they are worked out here from the two.
function computeChanges(version, previous) {
  if (!previous) return [];
  const out = [];
  const before = new Map((previous.lines || []).map((l) => [l.lineId, l]));
  for (const line of version.lines || []) {
    const old = before.get(line.lineId);
    if (!old) continue;
    for (const f of ['quantity', 'unitPrice', 'moq', 'deliveryDays']) {
      if (JSON.stringify(old[f]) !== JSON.stringify(line[f])) out.push({ lineId: line.lineId, field: f, from: old[f], to: line[f] });
    }
  }
  return out;
}

export function changesOf(version, previous) {
  return Array.isArray(version.changes) ? version.changes : computeChanges(version, previous);
}

function cell(label, value, change, currency, cls) {
  return h('td', { class: `${cls || ''}${change ? ' is-changed' : ''}`.trim() || null, dataset: { label } },
    h('span', { class: 'v-value', text: value }),
    change ? h('span', { class: 'was', text: `was ${changeValue(change.field, change.from, currency)}` }) : null);
}

export function versionPanel(version, previous, { current = false, accepted = false } = {}) {
  const currency = version.currency || version.total?.currency || 'USD';
  const currencyOf = version.currency || 'USD';
  // A change that reads the same both ways (a validity moved by minutes) is not worth a mark.
  const changes = changesOf(version, previous)
    .filter((c) => c.field === 'line' || changeValue(c.field, c.from, currencyOf) !== changeValue(c.field, c.to, currencyOf));
  const byLine = new Map();
  const other = [];
  const lineIds = new Set((version.lines || []).map((l) => l.lineId));
  for (const c of changes) {
    if (c.lineId && lineIds.has(c.lineId) && ['quantity', 'unitPrice', 'lineTotal', 'moq', 'deliveryDays'].includes(c.field)) {
      if (!byLine.has(c.lineId)) byLine.set(c.lineId, {});
      byLine.get(c.lineId)[c.field] = c;
    } else {
      other.push(c);
    }
  }
  const titleOf = (id) => (version.lines || []).find((l) => l.lineId === id)?.title || (previous?.lines || []).find((l) => l.lineId === id)?.title || 'A design';
  const rows = (version.lines || []).map((l) => {
    const ch = byLine.get(l.lineId) || {};
    return h('tr', { dataset: { lineId: l.lineId }, class: Object.keys(ch).length ? 'row-changed' : null },
      h('th', { scope: 'row', class: 'v-design' }, h('span', { class: 'v-design-in' },
        l.image ? h('img', { src: l.image, alt: '', width: 48, height: 48, loading: 'lazy' }) : null,
        h('span', { text: l.title || 'Design' }))),
      cell('Quantity', String(l.quantity), ch.quantity, currency, 'num'),
      cell('Unit price', money(l.unitPrice), ch.unitPrice, currency, 'num'),
      cell('Line total', money(l.lineTotal), ch.lineTotal, currency, 'num'),
      cell('Minimum order', l.moq ? String(l.moq) : '—', ch.moq, currency, 'num'),
      cell('Delivery', daysValue(l.deliveryDays), ch.deliveryDays, currency));
  });
  const table = h('table', { class: 'v-table', id: current ? 'current-version-table' : null },
    h('caption', { class: 'visually-hidden', text: `Version ${version.version}` }),
    h('thead', {}, h('tr', {}, ['Design', 'Quantity', 'Unit price', 'Line total', 'MOQ', 'Delivery']
      .map((t, i) => h('th', { scope: 'col', class: i > 0 && i < 5 ? 'num' : null, title: t === 'MOQ' ? 'Minimum order quantity' : null, text: t })))),
    h('tbody', {}, rows),
    h('tfoot', {}, h('tr', {},
      h('th', { scope: 'row', colspan: 3, text: 'Total' }),
      h('td', { class: 'num v-total', dataset: { label: 'Total' }, colspan: 1 }, h('b', { text: money(version.total) })),
      h('td', { colspan: 2 }))));
  const changeList = other.length ? h('ul', { class: 'change-marks v-changes', 'aria-label': 'Other changes' },
    other.map((c) => h('li', { class: 'change-mark', dataset: { field: c.field } }, icon('info'),
      h('span', { text: c.field === 'line' ? `Added: ${c.to || titleOf(c.lineId)}`
        : `${c.lineId ? `${titleOf(c.lineId)} — ` : ''}${FIELD_LABEL[c.field] || c.field}: was ${changeValue(c.field, c.from, currency)}, now ${changeValue(c.field, c.to, currency)}` })))) : null;
  const terms = version.paymentTerms || {};
  return h('div', { class: `qv${version.expired ? ' is-expired' : ''}`, dataset: { version: String(version.version) } },
    h('div', { class: 'v-head' },
      h('h3', { text: `Version ${version.version}` }),
      current ? h('span', { class: 'tag tag-ok', text: accepted ? 'Accepted' : 'Current' }) : h('span', { class: 'tag', text: 'Earlier version' }),
      version.expired ? h('span', { class: 'tag tag-warn', text: 'Expired' }) : null,
      h('span', { class: 'muted v-sent' }, 'Sent ', timeEl(version.sentAt))),
    changes.length && previous ? h('p', { class: 'v-changed-note' }, icon('info'),
      h('span', { text: `${changes.length} ${changes.length === 1 ? 'change' : 'changes'} since version ${previous.version}, marked below.` })) : null,
    h('div', { class: 'v-table-wrap' }, table),
    changeList,
    h('dl', { class: 'facts v-facts' },
      h('dt', { text: 'Total' }), h('dd', { class: 'v-total-fact', text: money(version.total) }),
      h('dt', { text: 'Payment terms' }), h('dd', { text: paymentTermsText(terms) }),
      h('dt', { text: 'Valid until' }), h('dd', { class: version.expired ? 'v-expired' : null }, timeEl(version.validUntil, { withTime: false }) || '—', version.expired ? ' (expired)' : ''),
      version.notes ? h('dt', { text: 'Notes' }) : null, version.notes ? h('dd', { class: 'pre-line', text: version.notes }) : null));
}
