// One quote: what is going on and whose move it is, every version (the current one first, the
// changes against the one before marked), the request as sent, the history and the thread with
// our sales team. Accept, request changes, renew, decline, withdraw and order again. Live over
// quote:<id>: a new version, a status change or a message arrives without a reload.
import { api, ApiError } from '../api.js';
import { mountPage } from '../page.js';
import { SOURCE_LABEL, parseDollars } from '../offers.js';
import { $, h, icon, toast } from '../ui.js';
import { refreshQuoteBadge } from '../workspace.js';
import { countryName } from '../quotes/countries.js';
import { field, formDialog } from '../quotes/dialog.js';
import {
  QUOTE_STATUS, actorText, awaitingTag, dateText, dueLine, money, orderHref, paymentTermsText, statusTag, statusText, changed, put, timeEl,
} from '../quotes/labels.js';
import { mountThread } from '../quotes/thread.js';
import { versionPanel } from '../quotes/version.js';

let page = null;
let quote = null;
let quoteId = '';
let selected = null; // the version number shown
let thread = null;
const dialogs = {};

const url = (tail = '') => `/api/quotes/${encodeURIComponent(quoteId)}${tail}`;

function currentVersion() {
  return (quote.versions || []).find((v) => v.version === quote.currentVersion) || null;
}

// ---------------------------------------------------------------- head and actions

function renderHead() {
  document.title = `${quote.number} — Facet`;
  $('#quote-title').textContent = `Quote ${quote.number}`;
  const due = dueLine(quote);
  put($('#quote-headline'), 
    statusTag(quote.status), awaitingTag(quote),
    quote.urgency === 'urgent' ? h('span', { class: 'tag tag-warn', text: 'Urgent' }) : null,
    due ? h('span', { class: `q-due q-due-${due.kind}`, id: 'quote-due', text: due.text }) : null);
  document.body.dataset.status = quote.status;
  document.body.dataset.currentVersion = String(quote.currentVersion || 0);
}

function button(id, text, cls, onclick, iconName) {
  return h('button', { type: 'button', id, class: `btn ${cls}`, onclick }, iconName ? icon(iconName) : null, h('span', { text }));
}

function renderActions() {
  const v = currentVersion();
  const s = quote.status;
  if (!changed($('#quote-actions'), [s, v, quote.orderId, quote.dueAt, quote.overdue])) return;
  const items = [];
  let lead = '';
  if (s === 'quoted' && v && !v.expired) {
    lead = `Version ${v.version} is ready: ${money(v.total)}, valid until ${dateText(v.validUntil)}.`;
    items.push(button('accept-quote', `Accept version ${v.version}`, 'btn-gold', () => openAccept(v), 'check'));
    items.push(button('request-changes', 'Request changes', 'btn-ghost', () => openChanges(false), 'chat'));
    items.push(button('decline-quote', 'Decline', 'btn-ghost btn-quiet', () => dialogs.decline.open()));
    items.push(button('withdraw-quote', 'Withdraw', 'btn-ghost btn-quiet', () => dialogs.withdraw.open()));
  } else if (s === 'expired' || (s === 'quoted' && v && v.expired)) {
    lead = 'This quote has expired. Ask us to renew it: we send a new version at today\'s prices.';
    items.push(button('renew-quote', 'Ask to renew', 'btn-gold', () => openChanges(true), 'refresh'));
    items.push(button('reorder-quote', 'Order again', 'btn-ghost', reorder, 'cart'));
  } else if (['submitted', 'in_review', 'changes_requested'].includes(s)) {
    const due = dueLine(quote);
    lead = s === 'changes_requested' ? 'We are preparing a new version with your changes.' : 'Our sales team is preparing your quote.';
    if (due && due.kind !== 'overdue') lead += ` We will answer by ${due.text.replace(/^Answer due by /, '')}.`;
    items.push(button('withdraw-quote', 'Withdraw', 'btn-ghost btn-quiet', () => dialogs.withdraw.open()));
  } else if (s === 'accepted') {
    lead = `You accepted version ${quote.currentVersion}.`;
    if (quote.orderId) items.push(h('a', { class: 'btn btn-gold', id: 'view-order', href: orderHref(quote.orderId) }, icon('truck'), h('span', { text: 'View the order' })));
    items.push(button('reorder-quote', 'Order again', 'btn-ghost', reorder, 'cart'));
  } else {
    lead = s === 'declined' ? 'This quote was declined.' : s === 'withdrawn' ? 'You withdrew this request.' : statusText(s);
    items.push(button('reorder-quote', 'Order again', 'btn-ghost', reorder, 'cart'));
  }
  put($('#quote-actions'), 
    h('p', { class: 'q-actions-lead', id: 'actions-lead', text: lead }),
    h('div', { class: 'q-actions-buttons' }, items));
}

// ---------------------------------------------------------------- versions

function renderVersions() {
  const versions = quote.versions || [];
  const tabs = $('#version-tabs');
  const panel = $('#version-panel');
  $('#versions-meta').textContent = versions.length > 1 ? `${versions.length} versions` : '';
  if (!versions.length) {
    tabs.hidden = true;
    const due = dueLine(quote);
    const closed = ['withdrawn', 'declined'].includes(quote.status);
    put(panel, h('div', { class: 'empty v-empty', id: 'no-version' },
      icon('clock'),
      h('p', { text: closed ? 'No quote was sent for this request.' : 'We are preparing your quote.' }),
      due && !closed ? h('p', { class: 'hint', text: due.text }) : null));
    return;
  }
  if (!versions.some((v) => v.version === selected)) selected = quote.currentVersion || versions[versions.length - 1].version;
  if (!changed(panel, [versions, selected, quote.currentVersion, quote.status])) return;
  tabs.hidden = versions.length < 2;
  // Newest first: the current version leads.
  const ordered = [...versions].sort((a, b) => b.version - a.version);
  put(tabs, ...ordered.map((v) => {
    const on = v.version === selected;
    const b = h('button', { type: 'button', role: 'tab', id: `version-tab-${v.version}`, 'aria-selected': String(on), tabindex: on ? 0 : -1, dataset: { version: String(v.version) } },
      `Version ${v.version}`, v.version === quote.currentVersion ? h('span', { class: 'tab-count', text: ' · current' }) : null);
    b.addEventListener('click', () => { selected = v.version; renderVersions(); $(`#version-tab-${v.version}`).focus(); });
    b.addEventListener('keydown', (ev) => {
      const i = ordered.indexOf(v);
      const next = ev.key === 'ArrowRight' ? ordered[i + 1] : ev.key === 'ArrowLeft' ? ordered[i - 1] : null;
      if (next) { selected = next.version; renderVersions(); $(`#version-tab-${next.version}`).focus(); }
    });
    return b;
  }));
  const v = versions.find((x) => x.version === selected);
  const previous = versions.filter((x) => x.version < v.version).sort((a, b) => b.version - a.version)[0] || null;
  panel.setAttribute('aria-labelledby', `version-tab-${v.version}`);
  put(panel, versionPanel(v, previous, { current: v.version === quote.currentVersion, accepted: quote.status === 'accepted' }));
}

// ---------------------------------------------------------------- request and history

function renderRequest() {
  const r = quote.request || {};
  const lines = h('ul', { class: 'req-lines' }, (r.lines || []).map((l) => h('li', { class: 'req-line', dataset: { lineId: l.id } },
    l.image ? h('img', { src: l.image, alt: '', width: 48, height: 48, loading: 'lazy' }) : h('span', { class: 'req-noimg' }),
    h('div', { class: 'req-line-main' },
      h('strong', { text: l.title || 'Design' }),
      h('span', { class: 'line-facts' },
        h('span', { class: `src-badge ${l.source === 'inventory' ? 'src-inventory' : 'src-sourced'}`, text: SOURCE_LABEL[l.source] || 'Sourced to order' }),
        h('span', { text: `Quantity ${l.quantity}` })),
      l.note ? h('span', { class: 'req-note pre-line', text: `Note: ${l.note}` }) : null))));
  const facts = [
    ['Preferred delivery', r.preferredDeliveryDate ? dateText(r.preferredDeliveryDate) : 'No date given'],
    ['Deliver to', r.country ? countryName(r.country) : '—'],
    ['Urgency', quote.urgency === 'urgent' ? 'Urgent' : 'Standard'],
    ['Business use', r.useCase || '—'],
  ];
  if (r.customisation) facts.push(['Customisation', typeof r.customisation === 'string' ? r.customisation : Object.entries(r.customisation).map(([k, v]) => `${k}: ${v}`).join('\n')]);
  facts.push(['Requested', timeEl(quote.createdAt)]);
  put($('#request-body'), lines,
    h('dl', { class: 'facts req-facts' }, facts.flatMap(([k, v]) => [h('dt', { text: k }), h('dd', { class: k === 'Customisation' ? 'pre-line' : null }, v)])));
}

function changeRequestText(cr) {
  const titles = new Map((quote.request?.lines || []).map((l) => [l.id, l.title]));
  for (const v of quote.versions || []) for (const l of v.lines || []) titles.set(l.lineId, l.title);
  return (cr.lines || []).map((l) => {
    const parts = [];
    if (l.targetUnitPrice) parts.push(`target ${money(l.targetUnitPrice)} each`);
    if (l.quantity) parts.push(`quantity ${l.quantity}`);
    if (l.deliveryDate) parts.push(`by ${dateText(l.deliveryDate)}`);
    return `${titles.get(l.lineId) || 'A design'}: ${parts.join(', ')}`;
  });
}

function renderHistory() {
  // A change request and the status it caused are one event: the request, with its details.
  const asked = (quote.changeRequests || []).map((cr) => Date.parse(cr.at));
  const items = (quote.history || [])
    .filter((e) => e.status !== 'changes_requested' || !asked.some((t) => Math.abs(t - Date.parse(e.at)) < 5000))
    .map((e) => ({ at: e.at, kind: 'status', e }));
  for (const cr of quote.changeRequests || []) items.push({ at: cr.at, kind: 'changes', e: cr });
  items.sort((a, b) => String(b.at).localeCompare(String(a.at)));
  put($('#history-list'), ...items.map(({ kind, e }) => {
    if (kind === 'changes') {
      return h('li', { class: 'tl-item tl-changes' },
        h('span', { class: 'tl-dot' }),
        h('div', { class: 'tl-body' },
          h('strong', { text: `You asked for changes to version ${e.version}` }),
          h('span', { class: 'muted' }, 'You · ', timeEl(e.at)),
          e.message ? h('p', { class: 'pre-line', text: e.message }) : null,
          changeRequestText(e).length ? h('ul', { class: 'tl-lines' }, changeRequestText(e).map((t) => h('li', { text: t }))) : null));
    }
    return h('li', { class: 'tl-item', dataset: { status: e.status } },
      h('span', { class: 'tl-dot' }),
      h('div', { class: 'tl-body' },
        h('strong', { text: statusText(e.status, QUOTE_STATUS) }),
        h('span', { class: 'muted' }, actorText(e.actor) ? `${actorText(e.actor)} · ` : '', timeEl(e.at)),
        e.note ? h('p', { class: 'pre-line', text: e.note }) : null));
  }));
}

function renderAll() {
  renderHead();
  renderActions();
  renderVersions();
  renderRequest();
  renderHistory();
}

function setQuote(next) {
  if (!next) return;
  // Someone reading the current version follows it to the new one.
  if (quote && selected === quote.currentVersion) selected = next.currentVersion;
  quote = next;
  renderAll();
}

async function loadQuote() {
  const data = await api.get(url());
  setQuote(data.quote);
}

async function loadMessages() {
  const data = await api.get(url('/messages'));
  thread.set(data.messages || []);
  refreshQuoteBadge();
}

// ---------------------------------------------------------------- actions

async function reorder(ev) {
  const b = ev.currentTarget;
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

function openAccept(v) {
  const d = dialogs.accept;
  d.version = v.version;
  put($('#accept-summary'), 
    h('dt', { text: 'Version' }), h('dd', { text: String(v.version) }),
    h('dt', { text: 'Total' }), h('dd', { text: money(v.total) }),
    h('dt', { text: 'Payment' }), h('dd', { text: paymentTermsText(v.paymentTerms) }),
    h('dt', { text: 'Valid until' }), h('dd', { text: dateText(v.validUntil) }));
  d.open();
}

const changeFields = {}; // server field (lines[0].targetUnitPrice) → control, filled per submit

function openChanges(renew) {
  const d = dialogs.changes;
  const v = currentVersion();
  d.renew = renew;
  $('#changes-title').textContent = renew ? 'Ask to renew this quote' : `Request changes to version ${v ? v.version : ''}`.trim();
  $('#changes-intro').textContent = renew
    ? 'We send a new version at today\'s prices. Tell us if anything else should change.'
    : 'Tell us what would make this work: a target price, another quantity or date for any design, and a message.';
  $('#changes-dialog-submit').textContent = renew ? 'Ask to renew' : 'Send request';
  put($('#changes-lines'), ...(v ? v.lines : []).map((l) => {
    const id = (k) => `${k}-${l.lineId}`;
    return h('fieldset', { class: 'cr-line', dataset: { lineId: l.lineId } },
      h('legend', { class: 'cr-title', text: l.title || 'Design' }),
      h('p', { class: 'hint', text: `Now ${l.quantity} at ${money(l.unitPrice)} each.` }),
      h('div', { class: 'cr-grid' },
        field({ id: id('tp'), name: id('tp'), label: 'Target price', optional: true,
          control: h('div', { class: 'input-prefix' }, h('span', { text: '$' }), h('input', { type: 'text', inputmode: 'decimal', id: id('tp'), name: id('tp'), autocomplete: 'off' })) }),
        field({ id: id('tq'), name: id('tq'), label: 'Quantity', optional: true, control: h('input', { type: 'text', inputmode: 'numeric', id: id('tq'), name: id('tq'), autocomplete: 'off' }) }),
        field({ id: id('td'), name: id('td'), label: 'Delivery by', optional: true, control: h('input', { type: 'date', id: id('td'), name: id('td') }) })));
  }));
  d.form.elements.message.value = '';
  $('label[for="changes-message"]').textContent = renew ? 'Message (optional)' : 'Message';
  d.open();
}

function changesCheck(form) {
  const problems = [];
  const v = currentVersion();
  const today = new Date().toISOString().slice(0, 10);
  for (const l of v ? v.lines : []) {
    const tp = form.elements[`tp-${l.lineId}`].value.trim();
    const tq = form.elements[`tq-${l.lineId}`].value.trim();
    const td = form.elements[`td-${l.lineId}`].value;
    if (tp && parseDollars(tp) === null) problems.push([`tp-${l.lineId}`, 'Enter an amount such as 12.50.']);
    if (tq && !/^\d{1,7}$/.test(tq)) problems.push([`tq-${l.lineId}`, 'Enter a whole number.']);
    if (td && td <= today) problems.push([`td-${l.lineId}`, 'Choose a date after today.']);
  }
  if (!form.elements.message.value.trim() && !dialogs.changes.renew) problems.push(['message', 'Tell us what you would like changed.']);
  return problems;
}

async function changesSubmit(form) {
  const v = currentVersion();
  const lines = [];
  for (const k of Object.keys(changeFields)) delete changeFields[k];
  for (const l of v ? v.lines : []) {
    const tp = form.elements[`tp-${l.lineId}`].value.trim();
    const tq = form.elements[`tq-${l.lineId}`].value.trim();
    const td = form.elements[`td-${l.lineId}`].value;
    if (!tp && !tq && !td) continue;
    const line = { lineId: l.lineId };
    if (tp) line.targetUnitPrice = parseDollars(tp);
    if (tq) line.quantity = Number(tq);
    if (td) line.deliveryDate = td;
    const i = lines.length;
    for (const [f, k] of [['targetUnitPrice', 'tp'], ['quantity', 'tq'], ['deliveryDate', 'td']]) {
      changeFields[`lines[${i}].${f}`] = `${k}-${l.lineId}`;
      changeFields[`lines.${i}.${f}`] = `${k}-${l.lineId}`;
    }
    lines.push(line);
  }
  const message = form.elements.message.value.trim() || (dialogs.changes.renew ? 'Please renew this quote.' : '');
  const body = { version: v ? v.version : quote.currentVersion, message };
  if (lines.length) body.lines = lines;
  const res = await api.post(url('/request-changes'), body);
  setQuote(res.quote);
  toast(dialogs.changes.renew ? 'Renewal requested' : 'Changes requested', 'Our sales team will send you a new version.');
}

function buildDialogs() {
  dialogs.accept = formDialog({
    id: 'accept-dialog',
    title: 'Accept this quote?',
    intro: 'Accepting confirms the order at these prices and terms. We then send you the payment instructions.',
    fields: [h('dl', { class: 'facts', id: 'accept-summary' })],
    submitLabel: 'Accept and order',
    busyLabel: 'Accepting…',
    submit: async () => {
      const res = await api.post(url('/accept'), { version: dialogs.accept.version });
      if (res.quote) setQuote(res.quote);
      if (res.order) location.assign(orderHref(res.order.id));
    },
  });
  dialogs.changes = formDialog({
    id: 'changes-dialog',
    title: 'Request changes',
    intro: ' ',
    wide: true,
    fields: [
      h('div', { class: 'cr-lines', id: 'changes-lines' }),
      field({ id: 'changes-message', name: 'message', label: 'Message', control: h('textarea', { id: 'changes-message', name: 'message', rows: 3, maxlength: 5000 }) }),
    ],
    submitLabel: 'Send request',
    check: changesCheck,
    submit: changesSubmit,
    fieldsMap: changeFields,
  });
  $('#changes-dialog .dialog-intro').id = 'changes-intro';
  $('#changes-dialog h2').id = 'changes-title';
  dialogs.changes.dialog.setAttribute('aria-labelledby', 'changes-title');
  dialogs.decline = formDialog({
    id: 'decline-dialog',
    title: 'Decline this quote?',
    intro: 'The quote closes. You can still order these designs again later.',
    fields: [field({ id: 'decline-reason', name: 'reason', label: 'Why? It helps us quote better next time.', optional: true,
      control: h('textarea', { id: 'decline-reason', name: 'reason', rows: 3, maxlength: 2000 }) })],
    submitLabel: 'Decline quote',
    busyLabel: 'Declining…',
    danger: true,
    submit: async (form) => {
      const reason = form.elements.reason.value.trim();
      const res = await api.post(url('/decline'), reason ? { reason } : {});
      setQuote(res.quote);
    },
  });
  dialogs.withdraw = formDialog({
    id: 'withdraw-dialog',
    title: 'Withdraw this request?',
    intro: 'Our sales team stops working on it. This cannot be undone; you can request a new quote at any time.',
    submitLabel: 'Withdraw request',
    busyLabel: 'Withdrawing…',
    danger: true,
    submit: async () => {
      const res = await api.post(url('/withdraw'), {});
      setQuote(res.quote);
    },
  });
}

// ---------------------------------------------------------------- start

mountPage({
  auth: 'buyer',
  async load(p) {
    page = p;
    $('#back-link').append(icon('arrow'), h('span', { text: 'All quotes' }));
    $('#print-quote').addEventListener('click', () => window.print());
    quoteId = new URLSearchParams(location.search).get('id') || '';
    if (!quoteId) {
      $('#quote-loading').hidden = true;
      throw new ApiError(404, 'not_found', 'No quote was named. Open one from your quotes.');
    }
    try {
      await loadQuote();
    } catch (err) {
      $('#quote-loading').hidden = true;
      if (err instanceof ApiError && err.status === 404) err.message = 'This quote does not exist or is not yours.';
      throw err;
    }
    selected = quote.currentVersion;
    renderVersions();
    buildDialogs();
    thread = mountThread($('#thread'), { quoteId, onSent: () => {} });
    $('#quote-loading').hidden = true;
    $('#quote-view').hidden = false;
    await loadMessages();

    const topic = `quote:${quoteId}`;
    let quoteTimer = null;
    let messageTimer = null;
    const refetchQuote = () => {
      clearTimeout(quoteTimer);
      quoteTimer = setTimeout(() => loadQuote().catch((err) => page.error(err, 'Could not refresh this quote')), 100);
    };
    const refetchMessages = () => {
      clearTimeout(messageTimer);
      messageTimer = setTimeout(() => loadMessages().catch((err) => page.error(err, 'Could not refresh the messages')), 100);
    };
    page.realtime.on('event', (msg) => {
      if (msg.topic !== topic) return;
      if (msg.event === 'quote.changed') refetchQuote();
      if (msg.event === 'quote.message') {
        if (msg.data?.message) thread.add(msg.data.message);
        refetchMessages();
      }
    });
    page.realtime.on('resync', (t) => {
      if (t !== topic) return;
      refetchQuote();
      refetchMessages();
    });
    page.follow(topic);
  },
});
