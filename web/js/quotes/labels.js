// How quotes and orders read to a buyer: status names, whose move it is, money and dates.
// Statuses and their meaning are in docs/quotes.md; the words here are the buyer's.
import { formatMoney } from '../offers.js';
import { h, formatDate, formatDateShort, formatDateTime } from '../ui.js';

export const QUOTE_STATUS = {
  submitted: 'Submitted',
  in_review: 'In review',
  quoted: 'Quote ready',
  changes_requested: 'Changes requested',
  accepted: 'Accepted',
  declined: 'Declined',
  expired: 'Expired',
  withdrawn: 'Withdrawn',
};

export const ORDER_STATUS = {
  confirmed: 'Confirmed',
  payment_verified: 'Payment received',
  in_production: 'In production',
  quality_check: 'Quality check',
  shipped: 'Shipped',
  delivered: 'Delivered',
  closed: 'Closed',
};

// The order's steps in sequence, for the progress line (shipped may repeat for partial shipments).
export const ORDER_STEPS = ['confirmed', 'payment_verified', 'in_production', 'quality_check', 'shipped', 'delivered', 'closed'];

export const ISSUE_STATUS = { open: 'Open', in_progress: 'In progress', resolved: 'Resolved', closed: 'Closed' };
export const ISSUE_KIND = { quality: 'Quality problem', wrong_item: 'Wrong item', damaged: 'Damaged', missing: 'Missing pieces' };
export const ISSUE_OUTCOME = { replacement: 'Replacement', credit: 'Credit', return: 'Return' };
export const BALANCE_DUE = { before_shipment: 'before shipment', on_delivery: 'on delivery' };

const TONE = {
  submitted: 'wait', in_review: 'wait', changes_requested: 'wait', quoted: 'act', accepted: 'ok', declined: 'off',
  expired: 'off', withdrawn: 'off', confirmed: 'act', payment_verified: 'wait', in_production: 'wait', quality_check: 'wait',
  shipped: 'act', delivered: 'ok', closed: 'off', open: 'act', in_progress: 'wait', resolved: 'ok',
};

export function statusText(status, table = QUOTE_STATUS) {
  return table[status] || String(status || '').replace(/_/g, ' ');
}

export function statusTag(status, table = QUOTE_STATUS) {
  return h('span', { class: `status-tag tone-${TONE[status] || 'off'}`, dataset: { status }, text: statusText(status, table) });
}

export function awaitingText(quote) {
  if (quote.awaiting === 'staff') return 'Waiting for Facet';
  if (quote.awaiting === 'buyer') return 'Your move';
  return '';
}

export function awaitingTag(quote) {
  const text = awaitingText(quote);
  if (!text) return null;
  return h('span', { class: `awaiting awaiting-${quote.awaiting}`, dataset: { awaiting: quote.awaiting }, text });
}

export function money(m) {
  return m && Number.isInteger(m.amount) ? formatMoney(m.amount, m.currency || 'USD') : '—';
}

// "Answer due by 4 Dec, 14:00" while Facet owes an answer; "Valid until 31 December 2026" once
// quoted; nothing when closed.
export function dueLine(quote) {
  if (quote.awaiting === 'staff' && quote.dueAt) {
    return { kind: quote.overdue ? 'overdue' : 'due', text: `${quote.overdue ? 'Answer was due' : 'Answer due by'} ${formatDateTime(quote.dueAt)}`, at: quote.dueAt };
  }
  if (quote.validUntil && ['quoted', 'expired'].includes(quote.status)) {
    return { kind: quote.status === 'expired' ? 'expired' : 'valid', text: `${quote.status === 'expired' ? 'Expired' : 'Valid until'} ${formatDate(quote.validUntil)}`, at: quote.validUntil };
  }
  return null;
}

export function quoteHref(id) {
  return `/quote.html?id=${encodeURIComponent(id)}`;
}

export function orderHref(id) {
  return `/order.html?id=${encodeURIComponent(id)}`;
}

export function daysValue(d) {
  if (d === null || d === undefined || d === '') return '—';
  if (typeof d === 'number') return `${d} ${d === 1 ? 'day' : 'days'}`;
  if (typeof d === 'object' && Number.isInteger(d.min)) return d.min === d.max ? `${d.min} days` : `${d.min}–${d.max} days`;
  return String(d);
}

export function paymentTermsText(terms) {
  if (!terms) return '—';
  const pct = Number(terms.depositPercent);
  const balance = BALANCE_DUE[terms.balanceDue] || String(terms.balanceDue || '').replace(/_/g, ' ');
  if (!pct) return `Full payment ${balance}`;
  if (pct >= 100) return 'Full payment in advance';
  return `${pct}% deposit${terms.deposit ? ` (${money(terms.deposit)})` : ''}, balance ${balance}`;
}

export function dateText(iso) {
  return /^\d{4}-\d{2}-\d{2}$/.test(String(iso || '')) ? formatDate(`${iso}T12:00:00Z`) : formatDateShort(iso);
}

export function timeEl(iso, { withTime = true } = {}) {
  if (!iso) return null;
  return h('time', { datetime: iso, text: withTime ? formatDateTime(iso) : dateText(iso) });
}

export function actorText(actor) {
  return { buyer: 'You', staff: 'Facet', system: 'Facet' }[actor] || '';
}

// Thumbnails of a quote's or order's designs (up to four).
export function thumbs(images, { size = 48 } = {}) {
  const list = (images || []).filter(Boolean).slice(0, 4);
  if (!list.length) return null;
  return h('span', { class: 'q-thumbs' }, list.map((src) => h('img', { src, alt: '', width: size, height: size, loading: 'lazy' })));
}

// "Next: shipped, expected 12 January 2027"
export function nextStepText(next) {
  if (!next) return '';
  return `Next: ${statusText(next.status, ORDER_STATUS).toLowerCase()}${next.expectedAt ? `, expected ${dateText(next.expectedAt)}` : ''}`;
}

// replaceChildren that leaves out what is not there (replaceChildren itself would write "null").
export function put(el, ...children) {
  el.replaceChildren(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
  return el;
}

// True when `value` differs from what `el` last showed: parts are rebuilt only then, so a live
// refresh that changed nothing never swaps a button from under a click.
export function changed(el, value) {
  const sig = JSON.stringify(value);
  if (el.dataset.sig === sig) return false;
  el.dataset.sig = sig;
  return true;
}
