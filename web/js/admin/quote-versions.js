// What has been said so far on a quote: the versions sent (each frozen, with what changed against
// the one before), the buyer's change requests, and the status history.
import { formatMoney } from '../offers.js';
import { table } from '../table.js';
import { h, formatDate, formatDateTime } from '../ui.js';
import { BALANCE_DUE, QUOTE_STATUS, actorText, money, statusTag } from './quote-format.js';

const FIELD = {
  unitPrice: 'Unit price', quantity: 'Quantity', moq: 'MOQ', deliveryDays: 'Delivery days', lineTotal: 'Line total',
  total: 'Total', validUntil: 'Valid until', depositPercent: 'Deposit %', balanceDue: 'Balance due', notes: 'Notes',
  'paymentTerms.depositPercent': 'Deposit %', 'paymentTerms.balanceDue': 'Balance due', line: 'Line',
};

function titles(quote) {
  return new Map((quote.request?.lines || []).map((l) => [l.id, l.title]));
}

const MONEY_FIELDS = new Set(['unitPrice', 'lineTotal', 'total']);

// The server writes a change's values as text: money in minor units, dates as ISO, terms by name.
function changeValue(field, value, currency) {
  if (value === null || value === undefined || value === '') return '—';
  if (MONEY_FIELDS.has(field) && /^-?\d+$/.test(String(value))) return formatMoney(Number(value), currency);
  if (field === 'validUntil') return formatDate(value) || String(value);
  if (field.endsWith('balanceDue')) return BALANCE_DUE[value] || String(value);
  if (field.endsWith('depositPercent')) return `${value} %`;
  return String(value);
}

function changeList(changes, names, currency) {
  if (!changes?.length) return h('p', { class: 'hint', text: 'First version: nothing to compare with.' });
  return h('ul', { class: 'diff-list' }, changes.map((c) => h('li', { dataset: { field: c.field, lineId: c.lineId || '' } },
    h('span', { class: 'diff-where', text: `${c.lineId ? `${names.get(c.lineId) || 'Line'} · ` : ''}${FIELD[c.field] || c.field}` }), ' ',
    h('del', { text: changeValue(c.field, c.from, currency) }), ' → ', h('ins', { text: changeValue(c.field, c.to, currency) }))));
}

function versionView(v, quote, names, open) {
  const terms = v.paymentTerms || {};
  const changed = new Set((v.changes || []).map((c) => `${c.lineId || ''}:${c.field}`));
  const mark = (field) => (l) => (changed.has(`${l.lineId}:${field}`) ? 'st-changed' : '');
  return h('details', { class: 'version', open, dataset: { version: String(v.version) } },
    h('summary', {},
      h('strong', { text: `Version ${v.version}` }), ' ',
      h('span', { class: 'version-total', text: money(v.total) }),
      h('span', { class: 'sub-inline', text: `sent ${formatDateTime(v.sentAt)}` }),
      v.expired ? h('span', { class: 'tag tag-muted', text: 'Expired' }) : h('span', { class: 'sub-inline', text: `valid until ${formatDate(v.validUntil)}` }),
      v.changes?.length ? h('span', { class: 'tag tag-warn', text: `${v.changes.length} change${v.changes.length === 1 ? '' : 's'}` }) : null),
    h('div', { class: 'version-body' },
      h('div', { class: 'table-wrap' }, table({
        caption: `Version ${v.version} lines`,
        columns: [
          { label: 'Design', cell: (l) => l.title },
          { label: 'Qty', class: 'num', cell: (l) => h('span', { class: mark('quantity')(l), text: String(l.quantity) }) },
          { label: 'Unit', class: 'num nowrap', cell: (l) => h('span', { class: mark('unitPrice')(l), text: money(l.unitPrice) }) },
          { label: 'MOQ', class: 'num hide-sm', cell: (l) => h('span', { class: mark('moq')(l), text: String(l.moq) }) },
          { label: 'Days', class: 'num hide-sm', cell: (l) => h('span', { class: mark('deliveryDays')(l), text: String(l.deliveryDays) }) },
          { label: 'Total', class: 'num nowrap', cell: (l) => money(l.lineTotal) },
        ],
        rows: v.lines || [],
      })),
      h('p', { class: 'version-terms' },
        `Deposit ${terms.depositPercent ?? '—'} %${terms.deposit ? ` (${money(terms.deposit)})` : ''} · ${BALANCE_DUE[terms.balanceDue] || terms.balanceDue || ''}`),
      v.notes ? h('p', { class: 'version-notes', text: v.notes }) : null,
      h('h4', { class: 'subhead-small', text: v.version > 1 ? `Changes from version ${v.version - 1}` : 'Changes' }),
      changeList(v.changes, names, v.currency)));
}

export function renderVersions(container, meta, quote) {
  const versions = [...(quote.versions || [])].sort((a, b) => b.version - a.version);
  const names = titles(quote);
  meta.textContent = versions.length ? `${versions.length} sent` : '';
  if (!versions.length) {
    container.replaceChildren(h('p', { class: 'hint', text: 'Nothing sent yet. Save the draft, then send it: the buyer sees version 1.' }));
    return;
  }
  container.replaceChildren(...versions.map((v, i) => versionView(v, quote, names, i === 0)));
}

export function renderChangeRequests(container, quote) {
  const requests = [...(quote.changeRequests || [])].reverse();
  const names = titles(quote);
  if (!requests.length) {
    container.replaceChildren(h('p', { class: 'hint', text: 'The buyer has not asked for changes.' }));
    return;
  }
  container.replaceChildren(h('ol', { class: 'change-requests' }, requests.map((r) => h('li', { dataset: { version: String(r.version) } },
    h('div', { class: 'feed-head' }, h('strong', { text: `On version ${r.version}` }), h('span', { class: 'feed-meta', text: formatDateTime(r.at) })),
    r.message ? h('p', { class: 'cr-message', text: r.message }) : null,
    r.lines?.length ? h('ul', { class: 'diff-list' }, r.lines.map((l) => h('li', {},
      h('span', { class: 'diff-where', text: names.get(l.lineId) || 'Line' }), ' ',
      [l.targetUnitPrice ? `target ${money(l.targetUnitPrice)}` : null, l.quantity ? `quantity ${l.quantity}` : null,
        l.deliveryDate ? `by ${formatDate(l.deliveryDate)}` : null].filter(Boolean).join(' · ')))) : null))));
}

export function renderHistory(container, quote) {
  const items = [...(quote.history || [])].reverse();
  container.replaceChildren(...items.map((e) => h('li', { dataset: { status: e.status } },
    h('div', { class: 'history-head' }, statusTag(e.status, QUOTE_STATUS), h('span', { class: 'feed-meta', text: `${actorText(e.actor)} · ${formatDateTime(e.at)}` })),
    e.note ? h('p', { class: 'history-note', text: e.note }) : null)));
}
