// The read-only parts of one order as staff see it: lines with their true origin, payments,
// shipments, fulfilment (brand orders and supplier POs), the timeline and the buyer's feedback.
import { table } from '../table.js';
import { h, formatDate, formatDateShort, formatDateTime } from '../ui.js';
import { BALANCE_DUE, ORDER_STATUS, actorText, money, originView, put, safeUrl, statusTag, thumb } from './quote-format.js';

export function lineTitles(order) {
  return new Map((order.lines || []).map((l) => [l.id, l.title]));
}

function stars(n) {
  return Number.isInteger(n) ? h('span', { class: 'st-stars', 'aria-label': `${n} of 5`, text: '★'.repeat(n) + '☆'.repeat(Math.max(0, 5 - n)) }) : null;
}

export function renderLines(container, order) {
  container.replaceChildren(table({
    class: 'order-lines',
    caption: 'Order lines',
    columns: [
      { label: 'Design', cell: (l) => h('div', { class: 'ol-design' }, thumb(l.image, l.title),
        h('div', {}, h('span', { class: 'ol-title', text: l.title }), h('span', { class: 'sub' }, originView(order.origins?.[l.id])))) },
      { label: 'Qty', class: 'num', cell: (l) => [String(l.quantity), h('span', { class: 'sub', dataset: { shipped: String(l.shippedQuantity ?? 0) }, text: `${l.shippedQuantity ?? 0} shipped` })] },
      { label: 'Unit', class: 'num nowrap hide-sm', cell: (l) => money(l.unitPrice) },
      { label: 'Total', class: 'num nowrap', cell: (l) => money(l.lineTotal) },
      { label: 'Days', class: 'num hide-sm', cell: (l) => String(l.deliveryDays ?? '—') },
    ],
    rows: order.lines || [],
    rowAttrs: (l) => ({ dataset: { lineId: l.id } }),
  }));
}

export function renderPayments(summary, list, order) {
  const p = order.payment || {};
  const terms = order.paymentTerms || {};
  const rows = [
    ['Total', money(order.total)],
    ['Terms', `${terms.depositPercent ?? '—'} % deposit · ${BALANCE_DUE[terms.balanceDue] || terms.balanceDue || ''}`],
    ['Deposit due', money(p.depositDue)],
    ['Balance due', money(p.balanceDue)],
    ['Paid', money(order.paid)],
    ['Outstanding', money(p.outstanding)],
    ['Buyer’s reference', p.reference || '—'],
  ];
  summary.replaceChildren(...rows.flatMap(([k, v]) => [h('dt', { text: k }), h('dd', { dataset: { k }, text: v })]));
  const payments = order.payments || [];
  list.replaceChildren(...payments.map((pay) => h('li', { dataset: { id: pay.id } },
    h('strong', { text: money(pay.amount) }), ' ', h('span', { text: pay.reference || '' }),
    h('span', { class: 'sub', text: `received ${formatDateShort(pay.receivedAt)} · recorded ${formatDateTime(pay.recordedAt)}` }))));
  if (!payments.length) list.replaceChildren(h('li', { class: 'hint', text: 'No payment recorded yet.' }));
}

function trackingLink(s) {
  if (!safeUrl(s.trackingUrl)) return s.trackingNumber || '';
  return h('a', { href: safeUrl(s.trackingUrl), target: '_blank', rel: 'noopener noreferrer', text: s.trackingNumber || 'Track' });
}

export function renderShipments(container, order) {
  const names = lineTitles(order);
  const shipments = order.shipments || [];
  if (!shipments.length) {
    container.replaceChildren(h('p', { class: 'hint', text: 'Nothing shipped yet.' }));
    return;
  }
  container.replaceChildren(h('ol', { class: 'shipments' }, shipments.map((s) => h('li', {},
    h('div', { class: 'feed-head' }, h('strong', {}, s.carrier || 'Carrier', ' · ', trackingLink(s)), h('span', { class: 'feed-meta', text: formatDateTime(s.at) })),
    h('span', { class: 'sub', text: (s.lines || []).map((l) => `${l.quantity} × ${names.get(l.lineId) || 'line'}`).join(', ') })))));
}

export function renderFulfilment(brandBox, poBox, order) {
  const f = order.fulfilment || {};
  brandBox.replaceChildren(table({
    caption: 'Brand orders',
    columns: [
      { label: 'Brand', cell: (b) => h('strong', { text: b.brand }) },
      { label: 'Status', cell: (b) => [h('span', { class: b.error ? 'tag tag-bad' : b.status === 'confirmed' || b.status === 'sent' ? 'tag tag-ok' : 'tag', text: b.status || '—' }),
        b.error ? h('span', { class: 'sub sub-error', text: b.error }) : null] },
      { label: 'Brand’s order', cell: (b) => b.brandOrderId || '—' },
      { label: 'Key', class: 'hide-sm', cell: (b) => h('code', { class: 'small-code', text: b.idempotencyKey || '' }) },
    ],
    rows: f.brandOrders || [],
    rowAttrs: (b) => ({ dataset: { brand: b.brand, status: b.status || '' } }),
    empty: 'Not ordered from the brands yet.',
  }));
  const names = lineTitles(order);
  poBox.replaceChildren(table({
    caption: 'Supplier purchase orders',
    columns: [
      { label: 'Line', cell: (p) => names.get(p.lineId) || p.lineId },
      { label: 'Supplier', cell: (p) => p.supplier },
      { label: 'Reference', cell: (p) => p.reference },
      { label: 'Promised', class: 'nowrap', cell: (p) => formatDate(p.promisedDate) },
    ],
    rows: f.purchaseOrders || [],
    empty: 'No purchase order recorded.',
  }));
}

export function renderTimeline(container, order) {
  const names = lineTitles(order);
  const items = [...(order.timeline || [])].reverse();
  container.replaceChildren(...items.map((e) => h('li', { dataset: { status: e.status } },
    h('div', { class: 'history-head' }, statusTag(e.status, ORDER_STATUS), h('span', { class: 'feed-meta', text: `${actorText(e.actor)} · ${formatDateTime(e.at)}` })),
    e.note ? h('p', { class: 'history-note', text: e.note }) : null,
    e.carrier || e.trackingNumber ? h('p', { class: 'history-note' }, `${e.carrier || ''} `, trackingLink(e)) : null,
    e.lines?.length ? h('p', { class: 'sub', text: e.lines.map((l) => `${l.quantity} × ${names.get(l.lineId) || 'line'}`).join(', ') }) : null)));
}

export function renderFeedback(container, order) {
  const f = order.feedback;
  if (!f) {
    container.replaceChildren(h('p', { class: 'hint', text: order.status === 'delivered' ? 'Delivered: waiting for the buyer’s feedback.' : 'No feedback yet.' }));
    return;
  }
  const names = lineTitles(order);
  put(container,
    h('p', {}, stars(f.rating), h('span', { class: 'sub-inline', text: formatDateTime(f.at) })),
    f.comment ? h('p', { class: 'pre-line', text: f.comment }) : null,
    f.lines?.length ? h('ul', { class: 'plain-list' }, f.lines.map((l) => h('li', {}, `${names.get(l.lineId) || 'Line'} `, stars(l.rating)))) : null);
}
