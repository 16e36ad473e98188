// What staff do to an order: record a payment, move it on (a shipment with its carrier, tracking
// and the quantities in the parcel), order the inventory lines from their brands, record a
// supplier PO for a marketplace line, and handle the buyer's issues. Every answer carries the
// order, which the page then shows (setOrder).
import { api } from '../api.js';
import { bindForm, withBusy } from '../forms.js';
import { $, h, showAlert, formatDateTime } from '../ui.js';
import { ISSUE_KIND, ISSUE_STATUS, ORDER_STATUS, attachmentLink, money, majorText, parseMajor, parseWhole, receivedTime, statusTag, todayValue } from './quote-format.js';
import { lineTitles } from './order-view.js';

// The natural next step from each status; staff may pick another, the server decides.
const NEXT = { confirmed: 'in_production', payment_verified: 'in_production', in_production: 'quality_check', quality_check: 'shipped', shipped: 'shipped' };
const SYMBOLS = { USD: '$', EUR: '€', GBP: '£' };

export function mountPayments(path, getOrder, setOrder) {
  const form = $('#pay-form');
  const alertBox = $('#pay-alert');
  bindForm(form, {
    alert: alertBox,
    check(f) {
      const problems = [];
      const amount = parseMajor(f.elements.amount.value);
      if (amount === null || amount < 1) problems.push(['amount', 'The amount received, such as 1250.00.']);
      if (!f.elements.reference.value.trim()) problems.push(['reference', 'The bank’s reference for this payment.']);
      if (!f.elements.receivedAt.value) problems.push(['receivedAt', 'The day it arrived.']);
      else if (f.elements.receivedAt.value > todayValue()) problems.push(['receivedAt', 'Not a day in the future.']);
      return problems;
    },
    async submit(f) {
      const res = await api.post(`${path}/payments`, {
        amount: parseMajor(f.elements.amount.value), reference: f.elements.reference.value.trim(), receivedAt: receivedTime(f.elements.receivedAt.value),
      });
      f.elements.reference.value = '';
      f.elements.amount.value = ''; // refilled with what is still outstanding
      setOrder(res.order);
      showAlert(alertBox, 'success', `${res.payment ? `${money(res.payment.amount)} recorded. ` : ''}The order is ${ORDER_STATUS[res.order.status] || res.order.status}.`, 'Payment recorded');
    },
  });
}

// Refills what depends on the order without touching what someone is typing.
export function refreshPayForm(order) {
  const form = $('#pay-form');
  $('#pay-currency').textContent = SYMBOLS[order.currency] || order.currency || '$';
  const outstanding = order.payment?.outstanding?.amount;
  if (!form.elements.amount.value && Number.isInteger(outstanding) && outstanding > 0) {
    const due = order.status === 'confirmed' && order.payment?.depositDue?.amount ? order.payment.depositDue.amount : outstanding;
    form.elements.amount.value = majorText(due);
  }
  if (!form.elements.receivedAt.value) form.elements.receivedAt.value = todayValue();
  form.elements.receivedAt.max = todayValue();
  form.hidden = !(Number.isInteger(outstanding) ? outstanding > 0 : true);
}

export function refreshShipLines(order) {
  const box = $('#ship-lines');
  const existing = new Map([...box.querySelectorAll('input')].map((i) => [i.dataset.lineId, i.value]));
  box.replaceChildren(...(order.lines || []).map((l) => {
    const left = Math.max(0, (l.quantity || 0) - (l.shippedQuantity || 0));
    const id = `ship-${l.id}`;
    const input = h('input', { id, type: 'text', inputmode: 'numeric', autocomplete: 'off', name: `ship.${l.id}`, dataset: { lineId: l.id, left: String(left) } });
    input.value = existing.has(l.id) ? existing.get(l.id) : String(left);
    return h('div', { class: 'ship-line' },
      h('label', { for: id }, h('span', { class: 'ship-title', text: l.title }), h('span', { class: 'sub', text: `${left} of ${l.quantity} left to ship` })),
      input);
  }));
}

export function refreshMoveForm(order) {
  const select = $('#move-status');
  const closed = ['delivered', 'closed'].includes(order.status);
  $('#move-form').hidden = closed;
  const allShipped = (order.lines || []).every((l) => (l.shippedQuantity || 0) >= l.quantity);
  if (!select.dataset.touched) select.value = order.status === 'shipped' && allShipped ? 'delivered' : NEXT[order.status] || 'in_production';
  $('#ship-fields').hidden = select.value !== 'shipped';
  $('#move-hint').textContent = order.status === 'confirmed' ? 'The deposit is not recorded yet.' : '';
  refreshShipLines(order);
}

export function mountMove(path, getOrder, setOrder) {
  const form = $('#move-form');
  const select = $('#move-status');
  select.addEventListener('change', () => {
    select.dataset.touched = 'true';
    $('#ship-fields').hidden = select.value !== 'shipped';
  });
  bindForm(form, {
    alert: $('#move-alert'),
    fields: { lines: 'lines' },
    check(f) {
      if (f.elements.status.value !== 'shipped') return [];
      const problems = [];
      if (!f.elements.carrier.value.trim()) problems.push(['carrier', 'Who carries the parcel.']);
      if (!f.elements.trackingNumber.value.trim()) problems.push(['trackingNumber', 'The carrier’s tracking number.']);
      const url = f.elements.trackingUrl.value.trim();
      if (url && !/^https?:\/\/\S+$/.test(url)) problems.push(['trackingUrl', 'A link starting with https://']);
      let any = false;
      for (const input of form.querySelectorAll('#ship-lines input')) {
        const n = parseWhole(input.value, { min: 0, max: Number(input.dataset.left) });
        if (n === null) problems.push([input.name, `0 to ${input.dataset.left}.`]);
        if (n) any = true;
      }
      if (!problems.length && !any) problems.push([form.querySelector('#ship-lines input')?.name || 'lines', 'Put at least one piece in the parcel.']);
      return problems;
    },
    async submit(f) {
      const body = { status: f.elements.status.value };
      const note = f.elements.note.value.trim();
      if (note) body.note = note;
      if (body.status === 'shipped') {
        body.carrier = f.elements.carrier.value.trim();
        body.trackingNumber = f.elements.trackingNumber.value.trim();
        const url = f.elements.trackingUrl.value.trim();
        if (url) body.trackingUrl = url;
        body.lines = [...form.querySelectorAll('#ship-lines input')]
          .map((input) => ({ lineId: input.dataset.lineId, quantity: parseWhole(input.value) || 0 }))
          .filter((l) => l.quantity > 0);
      }
      const res = await api.post(`${path}/status`, body);
      for (const name of ['note', 'carrier', 'trackingNumber', 'trackingUrl']) f.elements[name].value = '';
      for (const input of form.querySelectorAll('#ship-lines input')) input.remove();
      delete select.dataset.touched;
      setOrder(res.order);
      showAlert($('#move-alert'), 'success', 'The buyer sees it live.', `The order is ${ORDER_STATUS[res.order.status] || res.order.status}`);
    },
  });
}

export function mountFulfilment(path, getOrder, setOrder) {
  const alertBox = $('#fulfil-alert');
  $('#brand-orders').addEventListener('click', (ev) => withBusy(ev.currentTarget, async () => {
    try {
      const res = await api.post(`${path}/brand-orders`, {});
      setOrder(res.order);
      const failed = (res.order.fulfilment?.brandOrders || []).filter((b) => b.error);
      showAlert(alertBox, failed.length ? 'error' : 'success',
        failed.length ? `${failed.length} brand order${failed.length === 1 ? '' : 's'} failed; ordering again is safe (same keys).` : 'Every inventory line is ordered from its brand.',
        failed.length ? 'Some brands did not confirm' : 'Ordered from the brands');
    } catch (err) {
      showAlert(alertBox, 'error', err.message, 'Could not order from the brands');
    }
  }));
  bindForm($('#po-form'), {
    alert: alertBox,
    check(f) {
      const problems = [];
      if (!f.elements.lineId.value) problems.push(['lineId', 'Which line this PO covers.']);
      if (!f.elements.supplier.value.trim()) problems.push(['supplier', 'The supplier’s name.']);
      if (!f.elements.reference.value.trim()) problems.push(['reference', 'The PO number.']);
      if (!f.elements.promisedDate.value) problems.push(['promisedDate', 'When the supplier promised it.']);
      return problems;
    },
    async submit(f) {
      const res = await api.post(`${path}/purchase-orders`, {
        lineId: f.elements.lineId.value, supplier: f.elements.supplier.value.trim(),
        reference: f.elements.reference.value.trim(), promisedDate: f.elements.promisedDate.value,
      });
      f.elements.reference.value = '';
      setOrder(res.order);
      showAlert(alertBox, 'success', 'The purchase order is recorded.', 'PO saved');
    },
  });
  $('#po-line').addEventListener('change', () => {
    const origin = getOrder().origins?.[$('#po-line').value];
    if (origin?.supplier) $('#po-supplier').value = origin.supplier;
  });
}

export function refreshFulfilment(order) {
  const market = (order.lines || []).filter((l) => order.origins?.[l.id]?.kind === 'marketplace');
  const inventory = (order.lines || []).filter((l) => order.origins?.[l.id]?.kind === 'brand');
  $('#brand-orders').hidden = !inventory.length;
  $('#po-form').hidden = !market.length;
  $('#po-none').hidden = market.length > 0;
  const select = $('#po-line');
  const current = select.value;
  select.replaceChildren(...market.map((l) => h('option', { value: l.id, text: `${l.title} × ${l.quantity}` })));
  if (market.some((l) => l.id === current)) select.value = current;
  const origin = order.origins?.[select.value];
  if (origin?.supplier && !$('#po-supplier').value) $('#po-supplier').value = origin.supplier;
  if (!$('#po-date').value) $('#po-date').min = todayValue();
}

function issueForm(issue, path, setOrder) {
  const id = (k) => `issue-${issue.id}-${k}`;
  const alertBox = h('div', { class: 'alert', role: 'status', 'aria-live': 'polite', hidden: true });
  const outcome = h('select', { id: id('outcome'), name: 'outcome' },
    h('option', { value: '', text: '—' }), ...['replacement', 'credit', 'return'].map((o) => h('option', { value: o, text: o[0].toUpperCase() + o.slice(1) })));
  if (issue.outcome) outcome.value = issue.outcome;
  const next = { open: 'in_progress', in_progress: 'resolved', resolved: 'closed' }[issue.status] || 'in_progress';
  const status = h('select', { id: id('status'), name: 'status' }, ...['in_progress', 'resolved', 'closed'].map((s) => h('option', { value: s, text: ISSUE_STATUS[s] })));
  status.value = next;
  const reference = h('input', { id: id('reference'), name: 'reference', type: 'text', maxlength: 120, autocomplete: 'off', value: issue.reference || '' });
  const note = h('input', { id: id('note'), name: 'note', type: 'text', maxlength: 1000, autocomplete: 'off' });
  const f = (label, control, name) => h('div', { class: 'field' }, h('label', { for: control.id, text: label }), control,
    h('p', { class: 'field-error', dataset: { errorFor: name }, 'aria-live': 'polite' }));
  const form = h('form', { class: 'form issue-form', novalidate: true, dataset: { issueId: issue.id } },
    h('div', { class: 'issue-grid' }, f('Status', status, 'status'), f('Outcome', outcome, 'outcome'), f('Reference', reference, 'reference'), f('Note', note, 'note')),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-ghost btn-small', dataset: { busyLabel: 'Saving…' }, text: 'Update issue' })));
  bindForm(form, {
    alert: alertBox,
    check: () => (status.value === 'resolved' && !outcome.value ? [['outcome', 'How it was resolved.']] : []),
    async submit() {
      const body = { status: status.value };
      if (outcome.value) body.outcome = outcome.value;
      if (reference.value.trim()) body.reference = reference.value.trim();
      if (note.value.trim()) body.note = note.value.trim();
      const res = await api.post(`${path}/issues/${encodeURIComponent(issue.id)}`, body);
      setOrder(res.order);
    },
  });
  return [alertBox, form];
}

export function renderIssues(container, order, path, setOrder) {
  const issues = order.issues || [];
  if (!issues.length) {
    container.replaceChildren(h('p', { class: 'hint', text: 'The buyer has reported no issue.' }));
    return;
  }
  const names = lineTitles(order);
  container.replaceChildren(...issues.map((issue) => h('article', { class: 'st-issue', dataset: { issueId: issue.id, status: issue.status } },
    h('div', { class: 'feed-head' },
      h('span', {}, h('strong', { text: ISSUE_KIND[issue.kind] || issue.kind }), ' ', statusTag(issue.status, ISSUE_STATUS)),
      h('span', { class: 'feed-meta', text: formatDateTime(issue.createdAt) })),
    h('p', { class: 'pre-line', text: issue.description }),
    issue.lineIds?.length ? h('p', { class: 'sub', text: `Lines: ${issue.lineIds.map((id) => names.get(id) || id).join(', ')}` }) : null,
    issue.attachments?.length ? h('ul', { class: 'st-msg-files' }, issue.attachments.map((a) => h('li', {}, attachmentLink(a)))) : null,
    issue.outcome ? h('p', { class: 'sub', text: `Outcome: ${issue.outcome}${issue.reference ? ` · ${issue.reference}` : ''}` }) : null,
    issue.notes?.length ? h('ul', { class: 'st-issue-notes' }, issue.notes.map((n) => h('li', {}, h('span', { class: 'feed-meta', text: `${formatDateTime(n.at)} · ` }), n.note))) : null,
    issue.status === 'closed' ? null : issueForm(issue, path, setOrder))));
}
