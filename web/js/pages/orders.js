// Every order of the buyer, newest first: number, status, total and what is paid, the next step
// and when it is expected. Live over buyer:<id> (order.changed): the list is fetched again.
import { api } from '../api.js';
import { mountPage } from '../page.js';
import { $, h, relativeTime, formatDateTime } from '../ui.js';
import { onQuotesChanged } from '../workspace.js';
import { ORDER_STATUS, money, nextStepText, orderHref, statusTag, thumbs, changed, put } from '../quotes/labels.js';

let orders = [];

function row(o) {
  const outstanding = o.total && o.paid && Number.isInteger(o.total.amount) && Number.isInteger(o.paid.amount) ? o.total.amount - o.paid.amount : null;
  return h('li', { class: 'q-row', dataset: { orderId: o.id, status: o.status } },
    h('a', { href: orderHref(o.id), class: 'q-row-link' },
      h('span', { class: 'q-row-media' }, thumbs(o.images, { size: 44 })),
      h('span', { class: 'q-row-main' },
        h('span', { class: 'q-row-head' },
          h('strong', { class: 'q-number', text: o.number }),
          statusTag(o.status, ORDER_STATUS)),
        h('span', { class: 'q-row-sub' },
          h('span', { text: `${o.lineCount} ${o.lineCount === 1 ? 'design' : 'designs'}` }),
          o.quoteNumber ? h('span', { text: `From quote ${o.quoteNumber}` }) : null,
          o.nextStep ? h('span', { class: 'q-next', text: nextStepText(o.nextStep) }) : null,
          h('span', { class: 'muted', title: formatDateTime(o.updatedAt), text: `Updated ${relativeTime(o.updatedAt)}` }))),
      h('span', { class: 'q-row-side' },
        h('b', { class: 'q-total', text: money(o.total) }),
        outstanding > 0 ? h('span', { class: 'hint', text: `${money({ amount: outstanding, currency: o.total.currency })} to pay` })
          : outstanding === 0 ? h('span', { class: 'hint paid', text: 'Paid' }) : null)));
}

async function load() {
  const data = await api.get('/api/orders');
  orders = Array.isArray(data.orders) ? data.orders : [];
  $('#orders-loading').hidden = true;
  if (changed($('#order-list'), orders)) put($('#order-list'), ...orders.map(row));
  $('#orders-empty').hidden = orders.length > 0;
  document.body.dataset.orders = String(orders.length);
}

mountPage({
  auth: 'buyer',
  async load(page) {
    let timer = null;
    onQuotesChanged((msg) => {
      if (msg.event === 'quote.message') return;
      clearTimeout(timer);
      timer = setTimeout(() => load().catch((err) => page.error(err, 'Could not refresh your orders')), 150);
    });
    await load();
  },
});
