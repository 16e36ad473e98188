// One order: where it is (steps, the next one and when it is expected), its designs, what to pay
// and how, shipments with tracking, the timeline, confirming receipt, rating it, reporting an
// issue and ordering again. Live over order:<id>: staff's every step shows without a reload.
import { api, ApiError } from '../api.js';
import { bindForm } from '../forms.js';
import { mountPage } from '../page.js';
import { $, h, icon, toast } from '../ui.js';
import { attachmentList, attachmentPicker } from '../quotes/attachments.js';
import { field, formDialog } from '../quotes/dialog.js';
import {
  ISSUE_KIND, ISSUE_OUTCOME, ISSUE_STATUS, ORDER_STATUS, ORDER_STEPS, actorText, dateText, daysValue, money, nextStepText,
  paymentTermsText, quoteHref, statusTag, statusText, changed, put, timeEl,
} from '../quotes/labels.js';

let page = null;
let order = null;
let orderId = '';
const dialogs = {};

const url = (tail = '') => `/api/orders/${encodeURIComponent(orderId)}${tail}`;
const titleOf = (lineId) => (order.lines || []).find((l) => l.id === lineId)?.title || 'A design';

function safeUrl(u) {
  return /^https?:\/\//i.test(String(u || '')) ? u : null;
}

function trackingLink(t) {
  if (!t || (!t.trackingNumber && !t.trackingUrl)) return null;
  const href = safeUrl(t.trackingUrl);
  const label = `${t.carrier ? `${t.carrier} ` : ''}${t.trackingNumber || 'tracking'}`;
  return href ? h('a', { class: 'track-link', href, target: '_blank', rel: 'noopener noreferrer' }, icon('truck'), h('span', { text: `Track ${label}` }))
    : h('span', { class: 'track-link', text: label });
}

// ---------------------------------------------------------------- head, actions, steps

function renderHead() {
  document.title = `${order.number} — Facet`;
  $('#order-title').textContent = `Order ${order.number}`;
  put($('#order-headline'), 
    statusTag(order.status, ORDER_STATUS),
    order.quoteId ? h('a', { href: quoteHref(order.quoteId), class: 'q-from', text: `From quote ${order.quoteNumber || ''}${order.quoteVersion ? `, version ${order.quoteVersion}` : ''}` }) : null,
    order.nextStep ? h('span', { class: 'q-next', id: 'next-step', text: nextStepText(order.nextStep) }) : null);
  document.body.dataset.status = order.status;
}

function renderActions() {
  const s = order.status;
  if (!changed($('#order-actions'), [s, order.feedback ? 1 : 0, order.payment, order.nextStep])) return;
  const items = [];
  let lead = '';
  const outstanding = order.payment?.outstanding;
  if (s === 'confirmed') lead = `Your order is confirmed. Please pay ${money(order.payment?.depositDue?.amount ? order.payment.depositDue : outstanding)} with the reference ${order.payment?.reference || 'shown'} to start production.`;
  else if (s === 'shipped') lead = 'Your order is on its way. Tell us when it arrives.';
  else if (s === 'delivered') lead = order.feedback ? 'Delivered. Thank you for your feedback.' : 'Delivered. How did we do? Rate the order below.';
  else if (s === 'closed') lead = 'This order is complete.';
  else lead = order.nextStep ? `${nextStepText(order.nextStep)}.` : statusText(s, ORDER_STATUS);
  if (s === 'shipped') items.push(h('button', { type: 'button', class: 'btn btn-gold', id: 'confirm-receipt', onclick: () => dialogs.receipt.open() }, icon('check'), h('span', { text: 'Confirm receipt' })));
  if (['shipped', 'delivered', 'closed'].includes(s)) items.push(h('button', { type: 'button', class: 'btn btn-ghost', id: 'report-issue', onclick: openIssue }, icon('alert'), h('span', { text: 'Report an issue' })));
  const again = h('button', { type: 'button', class: 'btn btn-ghost', id: 'reorder-order' }, icon('cart'), h('span', { text: 'Order again' }));
  again.addEventListener('click', () => reorder(again));
  items.push(again);
  put($('#order-actions'), h('p', { class: 'q-actions-lead', id: 'actions-lead', text: lead }), h('div', { class: 'q-actions-buttons' }, items));
}

function renderSteps() {
  const at = ORDER_STEPS.indexOf(order.status);
  const reached = new Map();
  for (const e of order.timeline || []) if (!reached.has(e.status)) reached.set(e.status, e.at);
  put($('#order-steps'), ...ORDER_STEPS.map((s, i) => {
    const state = i < at ? 'done' : i === at ? 'current' : 'todo';
    const expected = order.nextStep && order.nextStep.status === s && order.nextStep.expectedAt ? `expected ${dateText(order.nextStep.expectedAt)}` : '';
    return h('li', { class: `step-${state}`, dataset: { step: s }, 'aria-current': state === 'current' ? 'step' : null },
      h('span', { class: 'steps-dot' }, state === 'done' ? icon('check') : null),
      h('span', { class: 'steps-label', text: statusText(s, ORDER_STATUS) }),
      reached.has(s) && state !== 'todo' ? h('span', { class: 'steps-when' }, timeEl(reached.get(s), { withTime: false })) : expected ? h('span', { class: 'steps-when', text: expected }) : null);
  }));
}

// ---------------------------------------------------------------- lines, payment, shipments

function stars(n) {
  const r = Math.max(0, Math.min(5, Number(n) || 0));
  return h('span', { class: 'stars-static', 'aria-label': `${r} of 5`, title: `${r} of 5`, text: '★'.repeat(r) + '☆'.repeat(5 - r) });
}

function renderLines() {
  const rated = (order.lines || []).some((l) => l.rating);
  const rows = (order.lines || []).map((l) => h('tr', { dataset: { lineId: l.id } },
    h('th', { scope: 'row', class: 'v-design' }, h('span', { class: 'v-design-in' },
      l.image ? h('img', { src: l.image, alt: '', width: 48, height: 48, loading: 'lazy' }) : null, h('span', { text: l.title || 'Design' }))),
    h('td', { class: 'num', dataset: { label: 'Quantity' }, text: String(l.quantity) }),
    h('td', { class: 'num', dataset: { label: 'Unit price' }, text: money(l.unitPrice) }),
    h('td', { class: 'num', dataset: { label: 'Line total' }, text: money(l.lineTotal) }),
    h('td', { dataset: { label: 'Delivery' }, text: daysValue(l.deliveryDays) }),
    h('td', { class: 'num', dataset: { label: 'Shipped' }, text: `${l.shippedQuantity || 0} of ${l.quantity}` }),
    rated ? h('td', { dataset: { label: 'Your rating' } }, l.rating ? stars(l.rating) : '—') : null));
  put($('#order-lines'), h('div', { class: 'v-table-wrap' }, h('table', { class: 'v-table', id: 'order-table' },
    h('caption', { class: 'visually-hidden', text: 'Designs in this order' }),
    h('thead', {}, h('tr', {}, ['Design', 'Quantity', 'Unit price', 'Line total', 'Delivery', 'Shipped', rated ? 'Rating' : null]
      .filter(Boolean).map((t, i) => h('th', { scope: 'col', class: [1, 2, 3, 5].includes(i) ? 'num' : null, text: t })))),
    h('tbody', {}, rows),
    h('tfoot', {}, h('tr', {}, h('th', { scope: 'row', colspan: 3, text: 'Total' }),
      h('td', { class: 'num v-total', dataset: { label: 'Total' } }, h('b', { text: money(order.total) })), h('td', { colspan: rated ? 3 : 2 }))))));
}

function renderPayment() {
  const p = order.payment || {};
  const rows = [
    ['Reference', h('strong', { class: 'pay-ref', id: 'pay-reference', text: p.reference || '—' })],
    ['Terms', paymentTermsText(order.paymentTerms)],
    ['Order total', money(order.total)],
  ];
  if (p.depositDue?.amount > 0) rows.push(['Deposit', money(p.depositDue)]);
  if (p.balanceDue?.amount > 0 && p.depositDue?.amount > 0) rows.push(['Balance', money(p.balanceDue)]);
  rows.push(['Paid', money(order.paid)]);
  rows.push(['Outstanding', h('strong', { id: 'pay-outstanding', class: p.outstanding?.amount > 0 ? 'due' : 'paid', text: money(p.outstanding) })]);
  const payments = (order.payments || []).length ? h('div', {},
    h('h3', { class: 'subhead', text: 'Received' }),
    h('ul', { class: 'pay-list' }, order.payments.map((x) => h('li', {},
      h('span', { text: money(x.amount) }), h('span', { class: 'muted' }, timeEl(x.receivedAt, { withTime: false }), x.reference ? ` · ${x.reference}` : ''))))) : null;
  put($('#payment-body'), 
    h('dl', { class: 'summary-list pay-facts' }, rows.flatMap(([k, v]) => [h('dt', { text: k }), h('dd', {}, v)])),
    p.instructions ? h('div', { class: 'pay-instructions' }, h('h3', { class: 'subhead', text: 'How to pay' }), h('p', { class: 'pre-line', id: 'pay-instructions', text: p.instructions })) : null,
    payments);
}

function renderShipments() {
  const list = order.shipments || [];
  $('#shipments-card').hidden = !list.length;
  put($('#shipment-list'), ...list.map((s) => h('li', { class: 'ship' },
    h('div', { class: 'ship-head' }, h('strong', { text: s.carrier || 'Shipment' }), timeEl(s.at)),
    trackingLink(s),
    (s.lines || []).length ? h('ul', { class: 'tl-lines' }, s.lines.map((l) => h('li', { text: `${titleOf(l.lineId)} × ${l.quantity}` }))) : null)));
}

function renderTimeline() {
  const sorted = [...(order.timeline || [])].sort((a, b) => String(a.at).localeCompare(String(b.at)));
  // An entry that does not change the status (a payment, a note) is titled by what it says.
  const items = sorted.map((e, i) => {
    const same = i > 0 && sorted[i - 1].status === e.status && e.note;
    return h('li', { class: `tl-item${same ? ' tl-event' : ''}`, dataset: { status: e.status } },
      h('span', { class: 'tl-dot' }),
      h('div', { class: 'tl-body' },
        h('strong', { text: same ? e.note : statusText(e.status, ORDER_STATUS) }),
        h('span', { class: 'muted' }, actorText(e.actor) ? `${actorText(e.actor)} · ` : '', timeEl(e.at)),
        e.note && !same ? h('p', { class: 'pre-line tl-note', text: e.note }) : null,
        trackingLink(e),
        (e.lines || []).length ? h('ul', { class: 'tl-lines' }, e.lines.map((l) => h('li', { text: `${titleOf(l.lineId)} × ${l.quantity}` }))) : null));
  });
  if (order.nextStep) {
    items.push(h('li', { class: 'tl-item tl-next', id: 'timeline-next' },
      h('span', { class: 'tl-dot' }),
      h('div', { class: 'tl-body' },
        h('strong', { text: `Next: ${statusText(order.nextStep.status, ORDER_STATUS)}` }),
        order.nextStep.expectedAt ? h('span', { class: 'muted', text: `Expected ${dateText(order.nextStep.expectedAt)}` }) : null)));
  }
  put($('#timeline-list'), ...items);
}

function renderIssues() {
  const list = order.issues || [];
  $('#issues-card').hidden = !list.length;
  put($('#issue-list'), ...list.map((i) => h('li', { class: 'issue', dataset: { issueId: i.id, status: i.status } },
    h('div', { class: 'issue-head' },
      h('strong', { text: ISSUE_KIND[i.kind] || i.kind }),
      statusTag(i.status, ISSUE_STATUS),
      i.outcome ? h('span', { class: 'tag tag-ok', text: `${ISSUE_OUTCOME[i.outcome] || i.outcome}${i.reference ? ` · ${i.reference}` : ''}` }) : null,
      h('span', { class: 'muted' }, timeEl(i.createdAt))),
    h('p', { class: 'pre-line', text: i.description }),
    (i.lineIds || []).length ? h('p', { class: 'hint', text: `Designs: ${i.lineIds.map(titleOf).join(', ')}` }) : null,
    attachmentList(i.attachments),
    (i.notes || []).length ? h('ul', { class: 'issue-notes' }, i.notes.map((n) => h('li', {},
      h('span', { class: 'muted' }, `${actorText(n.actor) || 'Facet'} · `, timeEl(n.at)), h('p', { class: 'pre-line', text: n.note })))) : null)));
}

// ---------------------------------------------------------------- feedback

function starInput(name, label, id) {
  const group = h('fieldset', { class: 'field star-field' }, h('legend', { class: 'label', text: label }));
  const row = h('div', { class: 'stars' });
  for (let n = 5; n >= 1; n -= 1) {
    const input = h('input', { type: 'radio', name, value: String(n), id: `${id}-${n}`, class: 'visually-hidden' });
    row.append(input, h('label', { for: input.id, title: `${n} of 5` }, h('span', { 'aria-hidden': 'true', text: '★' }), h('span', { class: 'visually-hidden', text: `${n} of 5` })));
  }
  group.append(row, h('p', { class: 'field-error', dataset: { errorFor: name } }));
  return group;
}

let feedbackSig = '';
const feedbackFields = {};
function renderFeedback() {
  const card = $('#feedback-card');
  const sig = `${order.status}:${order.feedback ? 'done' : 'open'}`;
  if (sig === feedbackSig) return;
  feedbackSig = sig;
  // The rating form is for the screen; given feedback prints with the order.
  card.classList.toggle('no-print', !order.feedback);
  if (order.feedback) {
    const f = order.feedback;
    card.hidden = false;
    $('#feedback-title').textContent = 'Your feedback';
    put($('#feedback-body'), h('div', { id: 'feedback-done' },
      h('p', {}, stars(f.rating), ' ', h('span', { class: 'muted' }, timeEl(f.at))),
      f.comment ? h('p', { class: 'pre-line', text: f.comment }) : null));
    return;
  }
  if (order.status !== 'delivered') {
    card.hidden = true;
    return;
  }
  card.hidden = false;
  const alert = h('div', { class: 'alert', role: 'alert', hidden: true });
  const form = h('form', { class: 'form', id: 'feedback-form', novalidate: true },
    alert,
    starInput('rating', 'The order overall', 'rate-all'),
    h('div', { class: 'star-lines' }, (order.lines || []).map((l) => starInput(`rating-${l.id}`, l.title || 'Design', `rate-${l.id}`))),
    field({ id: 'feedback-comment', name: 'comment', label: 'Comment', optional: true, control: h('textarea', { id: 'feedback-comment', name: 'comment', rows: 3, maxlength: 2000 }) }),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-gold', id: 'feedback-submit', dataset: { busyLabel: 'Sending…' }, text: 'Send feedback' })));
  put($('#feedback-body'), h('p', { class: 'hint', text: 'Rate the order and, if you like, each design. Your rating closes the order.' }), form);
  (order.lines || []).forEach((l, i) => {
    feedbackFields[`lines[${i}].rating`] = `rating-${l.id}`;
    feedbackFields[`lines.${i}.rating`] = `rating-${l.id}`;
  });
  bindForm(form, {
    alert,
    fields: feedbackFields,
    check: (f) => (f.elements.rating.value ? [] : [['rating', 'Choose from 1 to 5 stars.']]),
    submit: async (f) => {
      const body = { rating: Number(f.elements.rating.value) };
      const comment = f.elements.comment.value.trim();
      if (comment) body.comment = comment;
      const lines = (order.lines || []).map((l) => ({ lineId: l.id, rating: Number(f.elements[`rating-${l.id}`].value) })).filter((l) => l.rating);
      if (lines.length) body.lines = lines;
      const res = await api.post(url('/feedback'), body);
      setOrder(res.order);
      toast('Thank you', 'Your feedback is with our team.');
    },
  });
}

// ---------------------------------------------------------------- actions

async function reorder(b) {
  b.disabled = true;
  try {
    const res = await api.post(url('/reorder'), {});
    const n = res.added ?? 0;
    toast('Added to your cart', `${n} ${n === 1 ? 'design' : 'designs'} at today's prices.`, { link: { href: '/cart.html', text: 'View cart' } });
  } catch (err) {
    page.error(err, 'Could not add these designs to your cart');
  } finally {
    b.disabled = false;
  }
}

let issuePicker = null;
function openIssue() {
  const d = dialogs.issue;
  d.form.reset();
  issuePicker.clear();
  put($('#issue-lines'), ...(order.lines || []).map((l) => h('label', { class: 'check check-small' },
    h('input', { type: 'checkbox', name: 'lineIds', value: l.id }), h('span', { text: l.title || 'Design' }))));
  d.open();
}

function buildDialogs() {
  dialogs.receipt = formDialog({
    id: 'receipt-dialog',
    title: 'Confirm receipt?',
    intro: 'Confirm that this order arrived. If anything is wrong, you can still report an issue afterwards.',
    submitLabel: 'Confirm receipt',
    busyLabel: 'Confirming…',
    submit: async () => {
      const res = await api.post(url('/receipt'), {});
      setOrder(res.order);
    },
  });
  issuePicker = attachmentPicker({ id: 'issue-files', label: 'Add photos' });
  const kind = h('select', { id: 'issue-kind', name: 'kind' }, h('option', { value: '', text: 'Choose…' }),
    Object.entries(ISSUE_KIND).map(([v, t]) => h('option', { value: v, text: t })));
  dialogs.issue = formDialog({
    id: 'issue-dialog',
    title: 'Report an issue',
    intro: 'Tell us what is wrong; our team answers and puts it right with a replacement, a credit or a return.',
    wide: true,
    fields: [
      field({ id: 'issue-kind', name: 'kind', label: 'What happened', control: kind }),
      field({ id: 'issue-description', name: 'description', label: 'Description', control: h('textarea', { id: 'issue-description', name: 'description', rows: 4, maxlength: 5000 }) }),
      h('fieldset', { class: 'field' }, h('legend', { class: 'label', text: 'Which designs' }), h('div', { class: 'check-list', id: 'issue-lines' }),
        h('p', { class: 'field-error', dataset: { errorFor: 'lineIds' } })),
      h('div', { class: 'field' }, h('span', { class: 'label', text: 'Photos' }), issuePicker.el,
        h('p', { class: 'field-error', dataset: { errorFor: 'attachments' } })),
    ],
    submitLabel: 'Send report',
    check: (f) => {
      const problems = [];
      if (!f.elements.kind.value) problems.push(['kind', 'Choose what happened.']);
      if (!f.elements.description.value.trim()) problems.push(['description', 'Describe the issue.']);
      if (issuePicker.busy()) problems.push(['attachments', 'Wait for the photos to finish uploading.']);
      return problems;
    },
    submit: async (f) => {
      const body = { kind: f.elements.kind.value, description: f.elements.description.value.trim() };
      const lineIds = [...f.querySelectorAll('input[name="lineIds"]:checked')].map((i) => i.value);
      if (lineIds.length) body.lineIds = lineIds;
      if (issuePicker.ids().length) body.attachments = issuePicker.ids();
      const res = await api.post(url('/issues'), body);
      if (res.order) setOrder(res.order);
      toast('Issue reported', 'Our team will get back to you on this page.');
    },
  });
}

// ---------------------------------------------------------------- start

function setOrder(next) {
  if (!next) return;
  order = next;
  renderHead();
  renderActions();
  renderSteps();
  renderLines();
  renderPayment();
  renderShipments();
  renderTimeline();
  renderIssues();
  renderFeedback();
}

async function loadOrder() {
  const data = await api.get(url());
  setOrder(data.order);
}

mountPage({
  auth: 'buyer',
  async load(p) {
    page = p;
    $('#back-link').append(icon('arrow'), h('span', { text: 'All orders' }));
    $('#print-order').addEventListener('click', () => window.print());
    orderId = new URLSearchParams(location.search).get('id') || '';
    if (!orderId) {
      $('#order-loading').hidden = true;
      throw new ApiError(404, 'not_found', 'No order was named. Open one from your orders.');
    }
    try {
      await loadOrder();
    } catch (err) {
      $('#order-loading').hidden = true;
      if (err instanceof ApiError && err.status === 404) err.message = 'This order does not exist or is not yours.';
      throw err;
    }
    buildDialogs();
    $('#order-loading').hidden = true;
    $('#order-view').hidden = false;
    const topic = `order:${orderId}`;
    let timer = null;
    const refetch = () => {
      clearTimeout(timer);
      timer = setTimeout(() => loadOrder().catch((err) => page.error(err, 'Could not refresh this order')), 100);
    };
    page.realtime.on('event', (msg) => { if (msg.topic === topic && msg.event === 'order.changed') refetch(); });
    page.realtime.on('resync', (t) => { if (t === topic) refetch(); });
    page.follow(topic);
  },
});
