// Every order by status (the filter is kept in the address), refreshed live from the staff
// "admin" topic when any order moves.
import { api } from '../api.js';
import { withBusy } from '../forms.js';
import { mountPage } from '../page.js';
import { table } from '../table.js';
import { $, h, formatDateShort, relativeTime } from '../ui.js';
import { ORDER_STATUS, money, statusTag, thumb } from '../admin/quote-format.js';

const statusSelect = $('#filter-status');
const known = new Set();
let loadedOnce = false;
let page = null;

function nextStepText(o) {
  if (!o.nextStep) return '';
  const label = ORDER_STATUS[o.nextStep.status] || o.nextStep.status;
  return o.nextStep.expectedAt ? `next: ${label}, ${formatDateShort(o.nextStep.expectedAt)}` : `next: ${label}`;
}

function render(orders, fresh) {
  $('#orders-table').replaceChildren(table({
    class: 'orders-table',
    caption: 'Orders',
    columns: [
      { label: 'Order', cell: (o) => [h('a', { href: `/admin-order.html?id=${encodeURIComponent(o.id)}`, class: 'queue-number', text: o.number || o.id }),
        h('span', { class: 'sub' }, 'from ', h('a', { href: `/admin-quote.html?id=${encodeURIComponent(o.quoteId)}`, text: o.quoteNumber || 'quote' }))] },
      { label: 'Buyer', cell: (o) => [h('strong', { text: o.buyer?.companyName || '—' }), h('span', { class: 'sub', text: `${o.lineCount ?? 0} line${o.lineCount === 1 ? '' : 's'}` })] },
      { label: 'Designs', class: 'hide-sm', cell: (o) => h('span', { class: 'st-thumbs' }, (o.images || []).slice(0, 4).map((src) => thumb(src))) },
      { label: 'Status', cell: (o) => [statusTag(o.status, ORDER_STATUS), h('span', { class: 'sub', text: nextStepText(o) })] },
      { label: 'Total', class: 'nowrap', cell: (o) => [money(o.total), h('span', { class: 'sub', text: `paid ${money(o.paid)}` })] },
      { label: 'Updated', class: 'hide-sm nowrap', cell: (o) => [relativeTime(o.updatedAt), h('span', { class: 'sub', text: `placed ${formatDateShort(o.createdAt)}` })] },
    ],
    rows: orders,
    rowAttrs: (o) => ({ class: fresh.has(o.id) ? 'fresh' : null, dataset: { id: o.id, status: o.status } }),
    empty: 'No orders with this status.',
  }));
  const awaitingPayment = orders.filter((o) => o.status === 'confirmed').length;
  const inWork = orders.filter((o) => ['payment_verified', 'in_production', 'quality_check'].includes(o.status)).length;
  $('#order-stats').replaceChildren(...[[orders.length, 'shown'], [awaitingPayment, 'awaiting payment'], [inWork, 'in work']]
    .map(([n, what]) => h('div', { class: 'stat' }, h('b', { text: String(n) }), h('span', { text: what }))));
}

async function load() {
  const status = statusSelect.value;
  const data = await api.get(`/api/admin/orders${status ? `?status=${encodeURIComponent(status)}` : ''}`);
  const orders = Array.isArray(data.orders) ? data.orders : [];
  const fresh = new Set(loadedOnce ? orders.map((o) => o.id).filter((id) => !known.has(id)) : []);
  for (const o of orders) known.add(o.id);
  loadedOnce = true;
  render(orders, fresh);
  document.body.dataset.orderCount = String(orders.length);
}

let timer = null;
function reloadSoon() {
  clearTimeout(timer);
  timer = setTimeout(() => load().catch((err) => page.error(err, 'Could not refresh the orders')), 250);
}

mountPage({
  auth: 'staff',
  topics: ['admin'],
  async load(p) {
    page = p;
    const wanted = new URLSearchParams(location.search).get('status');
    if (wanted && [...statusSelect.options].some((o) => o.value === wanted)) statusSelect.value = wanted;
    statusSelect.addEventListener('change', () => {
      const q = statusSelect.value ? `?status=${encodeURIComponent(statusSelect.value)}` : '';
      history.replaceState(null, '', `${location.pathname}${q}`);
      load().catch((err) => page.error(err, 'Could not load the orders'));
    });
    $('#orders-refresh').addEventListener('click', (ev) => withBusy(ev.currentTarget, load));
    page.realtime.on('event', (msg) => {
      if (msg.event === 'order.changed') reloadSoon();
    });
    page.realtime.on('resync', reloadSoon);
    await load();
  },
});
