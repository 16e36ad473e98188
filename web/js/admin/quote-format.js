// Words and small views the staff quote and order pages share: status labels, money in and out of
// inputs, where a line truly comes from (staff only: brand and SKU, or the marketplace listing and
// its supplier), due times and attachments. Money stays integer minor units until it becomes text.
import { formatMoney, formatMoneyRange, parseDollars } from '../offers.js';
import { h, formatDateTime, relativeTime } from '../ui.js';

export const QUOTE_STATUS = {
  submitted: 'New request',
  in_review: 'In review',
  quoted: 'Quoted',
  changes_requested: 'Changes requested',
  accepted: 'Accepted',
  declined: 'Declined',
  expired: 'Expired',
  withdrawn: 'Withdrawn',
};

export const ORDER_STATUS = {
  confirmed: 'Confirmed',
  payment_verified: 'Payment verified',
  in_production: 'In production',
  quality_check: 'Quality check',
  shipped: 'Shipped',
  delivered: 'Delivered',
  closed: 'Closed',
};

export const ISSUE_STATUS = { open: 'Open', in_progress: 'In progress', resolved: 'Resolved', closed: 'Closed' };
export const ISSUE_KIND = { quality: 'Quality', wrong_item: 'Wrong item', damaged: 'Damaged', missing: 'Missing' };
export const BALANCE_DUE = { before_shipment: 'Balance before shipment', on_delivery: 'Balance on delivery' };

const FINAL_QUOTE = new Set(['accepted', 'declined', 'withdrawn']);
export const isFinalQuote = (status) => FINAL_QUOTE.has(status);

// The tone of a status tag: whose move it is decides how loud it is.
const TONE = {
  submitted: 'tag-warn', changes_requested: 'tag-warn', in_review: 'tag-info', quoted: 'tag-info',
  accepted: 'tag-ok', declined: 'tag-muted', expired: 'tag-muted', withdrawn: 'tag-muted',
  confirmed: 'tag-warn', payment_verified: 'tag-info', in_production: 'tag-info', quality_check: 'tag-info',
  shipped: 'tag-info', delivered: 'tag-ok', closed: 'tag-muted',
  open: 'tag-warn', in_progress: 'tag-info', resolved: 'tag-ok',
};

export function statusTag(status, labels = QUOTE_STATUS) {
  return h('span', { class: `tag ${TONE[status] || ''}`.trim(), dataset: { status: status || '' }, text: labels[status] || status || '—' });
}

export function money(m) {
  return m && Number.isInteger(m.amount) ? formatMoney(m.amount, m.currency) : '—';
}

// 1250 → "12.50": what a price input shows for minor units.
export function majorText(minor) {
  if (!Number.isInteger(minor)) return '';
  return `${Math.trunc(minor / 100)}.${String(Math.abs(minor % 100)).padStart(2, '0')}`;
}

// "12.5" → 1250; null for anything that is not a plain positive amount with at most two decimals.
export const parseMajor = parseDollars;

// A whole number typed into an input, or null.
export function parseWhole(text, { min = 0, max = 1_000_000 } = {}) {
  const t = String(text ?? '').trim();
  if (!/^\d{1,9}$/.test(t)) return null;
  const n = Number(t);
  return n >= min && n <= max ? n : null;
}

// ISO time or date → the YYYY-MM-DD a date input holds.
export function dateValue(iso) {
  if (!iso) return '';
  const text = String(iso);
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return text;
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString().slice(0, 10);
}

// A day picked in a date input as the ISO time the server wants for "received on": today means
// now (never in the future), an earlier day its noon UTC.
export function receivedTime(day) {
  return day === todayValue() ? new Date().toISOString() : `${day}T12:00:00Z`;
}

export function todayValue(plusDays = 0) {
  return new Date(Date.now() + plusDays * 86_400_000).toISOString().slice(0, 10);
}

export function marginText(margin) {
  if (!margin || !margin.amount) return '—';
  const pct = Number.isInteger(margin.basisPoints) ? ` (${(margin.basisPoints / 100).toFixed(1)} %)` : '';
  return `${money(margin.amount)}${pct}`;
}

// "Due in 3 h" / "Overdue by 2 h": staff plan their day on this.
export function dueText(dueAt, overdue) {
  if (!dueAt) return '';
  const d = new Date(dueAt);
  if (Number.isNaN(d.getTime())) return '';
  const mins = Math.round(Math.abs(d.getTime() - Date.now()) / 60000);
  const span = mins < 60 ? `${mins} min` : mins < 48 * 60 ? `${Math.round(mins / 60)} h` : `${Math.round(mins / 1440)} days`;
  return overdue || d.getTime() < Date.now() ? `Overdue by ${span}` : `Due in ${span}`;
}

export function dueCell(q, { open = true } = {}) {
  if (!open || !q.dueAt) return h('span', { class: 'sub', text: q.updatedAt ? `updated ${relativeTime(q.updatedAt)}` : '' });
  return [
    h('span', { class: q.overdue ? 'due due-overdue' : 'due', dataset: { overdue: q.overdue ? 'true' : 'false' }, text: dueText(q.dueAt, q.overdue) }),
    h('span', { class: 'sub nowrap', text: formatDateTime(q.dueAt) }),
  ];
}

export function urgencyTag(urgency) {
  return urgency === 'urgent' ? h('span', { class: 'tag tag-urgent', text: 'Urgent' }) : null;
}

export function repeatTag(repeat) {
  return repeat ? h('span', { class: 'tag tag-repeat', title: 'This buyer asked for these designs before', text: 'Repeat' }) : null;
}

// Staff see where a line truly comes from; buyers never do.
export function originView(origin) {
  if (!origin) return h('span', { class: 'origin', text: 'Origin unknown' });
  if (origin.kind === 'brand') {
    return h('span', { class: 'origin', dataset: { kind: 'brand' } },
      h('span', { class: 'origin-kind', text: 'Brand' }), ' ',
      h('strong', { text: origin.brand || '—' }), ' · SKU ', h('code', { text: origin.sku || '—' }),
      origin.cost ? ` · cost today ${money(origin.cost)}` : '');
  }
  return h('span', { class: 'origin', dataset: { kind: 'marketplace' } },
    h('span', { class: 'origin-kind', text: 'Marketplace' }), ' ',
    h('strong', { text: origin.supplier || 'Unknown supplier' }),
    origin.source ? ` · ${origin.source}` : '', origin.offerId ? [' · ', h('code', { text: origin.offerId })] : '',
    origin.listedPrice ? ` · listed ${priceText(origin.listedPrice)}` : '',
    safeUrl(origin.url) ? [' · ', h('a', { href: safeUrl(origin.url), target: '_blank', rel: 'noopener noreferrer', class: 'origin-link', text: 'Listing' })] : '');
}

// Links that come from outside (a listing's address, a carrier's tracking page) open only as
// http(s) or same-site addresses, never as script.
export function safeUrl(url) {
  const text = String(url || '').trim();
  return /^https?:\/\//i.test(text) || (text.startsWith('/') && !text.startsWith('//')) ? text : null;
}

// Money or a range of it ({min, max, currency}).
function priceText(p) {
  if (p && Number.isInteger(p.min)) return formatMoneyRange(p);
  return money(p);
}

export function attachmentLink(a) {
  const kb = Number.isInteger(a.bytes) ? ` (${Math.max(1, Math.round(a.bytes / 1024))} KB)` : '';
  return h('a', { href: safeUrl(a.url) || '#', target: '_blank', rel: 'noopener', class: 'attachment', text: `${a.name || 'attachment'}${kb}` });
}

// A person or the system, as history and timelines name them.
export function actorText(actor) {
  return { buyer: 'Buyer', staff: 'Staff', system: 'System' }[actor] || actor || '';
}

// replaceChildren that, like h(), skips null and false and flattens arrays.
export function put(el, ...children) {
  el.replaceChildren(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
  return el;
}

export function thumb(src, alt = '') {
  return src ? h('img', { src, alt, loading: 'lazy', class: 'q-thumb' }) : h('span', { class: 'q-thumb q-thumb-empty', 'aria-hidden': 'true' });
}
