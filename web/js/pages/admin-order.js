// One order as operations run it: lines with their true origin, payments, status moves and
// shipments, fulfilment from brands and suppliers, the timeline, feedback and issues. Live through
// order:<id> (and "admin"): any change anyone makes is fetched again and shown.
import { api } from '../api.js';
import { mountPage } from '../page.js';
import { $, h, formatDateTime } from '../ui.js';
import { ORDER_STATUS, money, put, statusTag } from '../admin/quote-format.js';
import { renderFeedback, renderFulfilment, renderLines, renderPayments, renderShipments, renderTimeline } from '../admin/order-view.js';
import { mountFulfilment, mountMove, mountPayments, refreshFulfilment, refreshMoveForm, refreshPayForm, renderIssues } from '../admin/order-forms.js';

const orderId = new URLSearchParams(location.search).get('id') || '';
const apiPath = `/api/admin/orders/${encodeURIComponent(orderId)}`;
let order = null;
let issuesShown = '';

function facts(container, rows) {
  container.replaceChildren(...rows.filter(([, v]) => v !== null && v !== undefined && v !== '')
    .flatMap(([k, v]) => [h('dt', { text: k }), h('dd', {}, v)]));
}

function render() {
  document.title = `${order.number || 'Order'} — Facet`;
  put($('#order-title'), h('span', { text: order.number || order.id }), ' ', statusTag(order.status, ORDER_STATUS));
  put($('#order-meta'), 
    h('span', { text: `Placed ${formatDateTime(order.createdAt)}` }),
    h('span', {}, 'from ', h('a', { href: `/admin-quote.html?id=${encodeURIComponent(order.quoteId)}`, text: `${order.quoteNumber || 'quote'}${order.quoteVersion ? ` v${order.quoteVersion}` : ''}` })),
    h('span', { text: `${money(order.total)} · paid ${money(order.paid)}` }),
    order.nextStep ? h('span', { text: `Next: ${ORDER_STATUS[order.nextStep.status] || order.nextStep.status}${order.nextStep.expectedAt ? ` by ${formatDateTime(order.nextStep.expectedAt)}` : ''}` }) : null);
  const b = order.buyer || {};
  facts($('#buyer-facts'), [
    ['Company', h('strong', { text: b.companyName || '—' })],
    ['Contact', b.contactName],
    ['E-mail', b.email ? h('a', { href: `mailto:${b.email}`, text: b.email }) : null],
    ['Country', b.country],
    ['History', Number.isInteger(b.orders) ? `${b.quotes ?? 0} quotes · ${b.orders} orders` : null],
  ]);
  const shipped = (order.lines || []).reduce((n, l) => n + (l.shippedQuantity || 0), 0);
  const total = (order.lines || []).reduce((n, l) => n + (l.quantity || 0), 0);
  $('#lines-meta').textContent = `${shipped} of ${total} pieces shipped`;
  renderLines($('#order-lines'), order);
  renderPayments($('#pay-summary'), $('#payments'), order);
  refreshPayForm(order);
  refreshMoveForm(order);
  renderShipments($('#shipments'), order);
  renderFulfilment($('#brand-orders-table'), $('#po-table'), order);
  refreshFulfilment(order);
  renderTimeline($('#timeline'), order);
  renderFeedback($('#feedback'), order);
  // Issue forms are rebuilt only when an issue changed, so a note being typed survives other updates.
  const issuesNow = JSON.stringify(order.issues || []);
  if (issuesNow !== issuesShown) {
    issuesShown = issuesNow;
    renderIssues($('#issues'), order, apiPath, setOrder);
  }
  document.body.dataset.orderStatus = order.status;
  $('#order-view').hidden = false;
}

function setOrder(next) {
  if (!next) return;
  order = next;
  render();
}

async function load() {
  const data = await api.get(apiPath);
  setOrder(data.order);
}

let timer = null;
let page = null;
function reloadSoon() {
  clearTimeout(timer);
  timer = setTimeout(() => load().catch((err) => page.error(err, 'Could not refresh the order')), 200);
}

mountPage({
  auth: 'staff',
  topics: () => (orderId ? [`order:${orderId}`, 'admin'] : []),
  async load(p) {
    page = p;
    await (orderId ? load() : Promise.reject(new Error('No order named in the address.'))).catch((err) => {
      $('#order-title').textContent = err.status === 404 ? 'Order not found' : 'Order';
      throw err;
    });
    mountPayments(apiPath, () => order, setOrder);
    mountMove(apiPath, () => order, setOrder);
    mountFulfilment(apiPath, () => order, setOrder);
    page.realtime.on('event', (msg) => {
      if (msg.event === 'order.changed' && msg.data?.order?.id === orderId) reloadSoon();
    });
    page.realtime.on('resync', reloadSoon);
  },
});
