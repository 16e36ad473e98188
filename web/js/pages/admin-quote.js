// One quote, as staff work on it: the buyer and their request, every line with its true origin,
// the draft (prices, MOQs, delivery, terms) saved against a revision so two people never silently
// overwrite each other, sending version N, the versions sent and their differences, the buyer's
// change requests, the status history and the message thread. Live through quote:<id> and the
// staff "admin" topic (a saved draft is announced only there).
import { api } from '../api.js';
import { clearFieldErrors, showFormError, showProblems, withBusy, bindForm } from '../forms.js';
import { mountPage } from '../page.js';
import { $, $$, h, showAlert, clearAlert, toast, formatDate, formatDateTime } from '../ui.js';
import { assign } from '../admin/quote-queue.js';
import { buildLines, collectLines, fillLines, inputName, sameLines, showFigures } from '../admin/quote-draft.js';
import { put, dateValue, dueText, isFinalQuote, money, parseWhole, repeatTag, statusTag, todayValue, urgencyTag } from '../admin/quote-format.js';
import { colleagues, staffName } from '../admin/quote-staff.js';
import { loadThread, mountThread } from '../admin/quote-thread.js';
import { renderChangeRequests, renderHistory, renderVersions } from '../admin/quote-versions.js';

const quoteId = new URLSearchParams(location.search).get('id') || '';
const apiPath = `/api/admin/quotes/${encodeURIComponent(quoteId)}`;
const form = $('#draft-form');
const linesBox = $('#draft-lines');
const draftAlert = $('#draft-alert');
const draftNotice = $('#draft-notice');

let page = null;
let quote = null;
let staff = [];            // colleagues a quote can be given to (admins only)
let dirty = false;
let baseRevision = 0;      // the draft revision the inputs hold: a save is based on it, never on a newer one seen live
let busy = false;          // a save or send is in flight: live refreshes wait for it
let refreshWanted = false;

function setDirty(value) {
  dirty = value;
  $('#draft-dirty').hidden = !value;
  form.dataset.dirty = value ? 'true' : 'false';
}

// A staff member as a name: the server may name them by id alone (who saved the draft last).
function who(person) {
  if (!person) return '';
  const id = typeof person === 'string' ? person : person.id;
  if (id && id === page?.user?.id) return 'you';
  if (typeof person !== 'string') return person.name || person.email || '';
  if (quote?.assignee && quote.assignee.id === person) return quote.assignee.name || quote.assignee.email;
  return /^u_/.test(person) ? 'a colleague' : person;
}

// Who saved a newer draft while this page was being edited: the same account in another window counts too.
function savedBy(person) {
  const name = who(person);
  if (!name) return 'Someone';
  return name === 'you' ? 'You (in another window)' : name[0].toUpperCase() + name.slice(1);
}

// ---------- header, buyer, request ----------

function renderHeader() {
  document.title = `${quote.number || 'Quote'} — Facet`;
  put($('#quote-title'), h('span', { text: quote.number || quote.id }), ' ', statusTag(quote.status), ' ', urgencyTag(quote.urgency), ' ', repeatTag(quote.repeat));
  const open = quote.awaiting === 'staff';
  put($('#quote-meta'), 
    h('span', { text: `Asked ${formatDateTime(quote.createdAt)}` }),
    open && quote.dueAt ? h('span', { class: quote.overdue ? 'due due-overdue' : 'due', dataset: { overdue: quote.overdue ? 'true' : 'false' }, text: dueText(quote.dueAt, quote.overdue) }) : null,
    quote.awaiting ? h('span', { text: quote.awaiting === 'staff' ? 'Our move' : 'Waiting for the buyer' }) : null,
    quote.orderId ? h('a', { href: `/admin-order.html?id=${encodeURIComponent(quote.orderId)}`, text: 'Open the order' }) : null);

  const mine = quote.assignee && quote.assignee.id === page.user.id;
  const claim = (label, staffId, action) => h('button', {
    type: 'button', class: action === 'assign-me' ? 'btn btn-primary btn-small' : 'btn btn-ghost btn-small', dataset: { action, busyLabel: 'Saving…' }, text: label,
    onclick: (ev) => withBusy(ev.currentTarget, async () => {
      try {
        const res = await assign(quoteId, staffId);
        if (res.quote) quote = { ...quote, ...res.quote };
        await refresh();
      } catch (err) {
        page.error(err, 'Could not change the assignee');
      }
    }),
  });
  const box = $('#quote-actions');
  const pill = $('#live-pill');
  const final = isFinalQuote(quote.status);
  put(box, pill,
    h('span', { class: 'assignee-box' },
      h('span', { class: 'sub-inline', text: 'Assignee' }),
      h('strong', { class: 'assignee', dataset: { assignee: quote.assignee?.id || '' }, text: quote.assignee ? (mine ? 'You' : who(quote.assignee)) : 'Unassigned' })),
    final ? null : mine ? claim('Unassign', null, 'unassign') : claim('Assign to me', page.user.id, 'assign-me'),
    final || !staff.length ? null : giveTo());
}

// Admins give a quote to a colleague.
function giveTo() {
  const select = h('select', { id: 'assign-to', class: 'assign-to', 'aria-label': 'Give this quote to' },
    h('option', { value: '', text: 'Give to…' }),
    staff.filter((s) => s.id !== quote.assignee?.id).map((s) => h('option', { value: s.id, text: staffName(s) })));
  select.addEventListener('change', () => {
    if (!select.value) return;
    withBusy(select, async () => {
      try {
        await assign(quoteId, select.value);
        await refresh();
      } catch (err) {
        page.error(err, 'Could not change the assignee');
      }
    });
  });
  return select;
}

function facts(container, rows) {
  container.replaceChildren(...rows.filter(([, v]) => v !== null && v !== undefined && v !== '')
    .flatMap(([k, v]) => [h('dt', { text: k }), h('dd', {}, v)]));
}

function renderBuyer() {
  const b = quote.buyer || {};
  facts($('#buyer-facts'), [
    ['Company', h('strong', { text: b.companyName || '—' })],
    ['Contact', b.contactName],
    ['E-mail', b.email ? h('a', { href: `mailto:${b.email}`, text: b.email }) : null],
    ['Country', b.country],
    ['History', `${b.quotes ?? 0} quote${b.quotes === 1 ? '' : 's'} · ${b.orders ?? 0} order${b.orders === 1 ? '' : 's'}`],
  ]);
  const r = quote.request || {};
  facts($('#request-facts'), [
    ['Urgency', quote.urgency === 'urgent' ? 'Urgent' : 'Standard'],
    ['Deliver by', r.preferredDeliveryDate ? formatDate(r.preferredDeliveryDate) : null],
    ['Ship to', r.country],
    ['Use', r.useCase],
    ['Customisation', r.customisation ? h('span', { class: 'pre-line', text: r.customisation }) : null],
  ]);
}

// ---------- the draft ----------

function fillTerms(draft) {
  const terms = draft?.paymentTerms || {};
  $('#deposit-percent').value = terms.depositPercent ?? 30;
  $('#balance-due').value = terms.balanceDue || 'before_shipment';
  $('#valid-until').value = dateValue(draft?.validUntil) || todayValue(14);
  $('#valid-until').min = todayValue();
  $('#draft-notes').value = draft?.notes || '';
}

function renderDraftMeta() {
  const d = quote.draft || {};
  form.dataset.revision = String(baseRevision);
  $('#draft-meta').textContent = d.updatedAt ? `Revision ${d.revision} · saved ${formatDateTime(d.updatedAt)}${who(d.updatedBy) ? ` by ${who(d.updatedBy)}` : ''}` : `Revision ${d.revision ?? 0} · not saved yet`;
  const next = (quote.versions?.length || 0) + 1;
  facts($('#draft-totals'), [
    ['Draft total', h('span', { dataset: { total: d.total ? String(d.total.amount) : '' }, text: money(d.total) })],
    ['Sends as', `version ${next}`],
  ]);
  $('#draft-send').textContent = `Send to buyer as version ${next}`;
}

function renderDraft({ fill }) {
  if (!sameLines(linesBox, quote)) {
    buildLines(linesBox, quote, { onChecked: refreshFigures });
    fill = true;
  }
  if (fill) {
    baseRevision = quote.draft?.revision ?? 0;
    clearAlert(draftNotice);
    fillLines(linesBox, quote);
    fillTerms(quote.draft);
    clearFieldErrors(form);
    setDirty(false);
  } else {
    showFigures(linesBox, quote);
  }
  renderDraftMeta();
  const final = isFinalQuote(quote.status);
  for (const el of $$('input, select, textarea, button', form)) el.disabled = final;
  $('#decline-card').hidden = final;
}

// A live check stores the brand's current cost: the proposed price and margin follow it. Only
// the figures change; the inputs stay as typed. Answers the line's proposed unit price.
async function refreshFigures(lineId) {
  const data = await api.get(apiPath);
  quote.draft = { ...quote.draft, lines: data.quote.draft?.lines || quote.draft.lines };
  quote.live = data.quote.live;
  quote.origins = data.quote.origins || quote.origins;
  showFigures(linesBox, quote);
  return (quote.draft.lines || []).find((l) => l.lineId === lineId)?.proposedUnitPrice || null;
}

function collect() {
  const { lines, problems } = collectLines(linesBox);
  const deposit = parseWhole($('#deposit-percent').value, { min: 0, max: 100 });
  if (deposit === null) problems.push(['paymentTerms.depositPercent', 'A whole percentage from 0 to 100.']);
  const validUntil = $('#valid-until').value;
  if (!validUntil) problems.push(['validUntil', 'Until when the buyer may accept.']);
  else if (validUntil < todayValue()) problems.push(['validUntil', 'A date from today on.']);
  const body = {
    revision: baseRevision,
    lines,
    paymentTerms: { depositPercent: deposit, balanceDue: $('#balance-due').value },
    // The buyer may accept until the end of the chosen day (UTC).
    validUntil: validUntil ? `${validUntil}T23:59:59Z` : validUntil,
  };
  const notes = $('#draft-notes').value.trim();
  body.notes = notes || null;
  return { body, problems };
}

function showConflict(err) {
  clearAlert(draftNotice); // the conflict says it all
  draftAlert.className = 'alert alert-error';
  draftAlert.dataset.conflict = 'true';
  draftAlert.replaceChildren(
    h('div', {},
      h('strong', { text: 'Someone else saved this draft first' }),
      h('p', { text: `${err?.message ? `${err.message} ` : ''}Your changes were not saved and nothing of theirs was overwritten; copy anything of yours you want to keep before reloading.` }),
      h('div', { class: 'form-actions' },
        h('button', { type: 'button', class: 'btn btn-primary btn-small', dataset: { action: 'reload-draft' }, text: 'Reload the draft', onclick: reloadDraft }))));
  draftAlert.hidden = false;
  draftAlert.scrollIntoView({ block: 'nearest' });
}

async function reloadDraft() {
  clearAlert(draftAlert);
  delete draftAlert.dataset.conflict;
  clearAlert(draftNotice);
  const data = await api.get(apiPath);
  quote = data.quote;
  renderAll({ fill: true });
}

// Saves the draft; true when saved. Problems and errors are shown beside their inputs.
async function save() {
  clearFieldErrors(form);
  clearAlert(draftAlert);
  const { body, problems } = collect();
  if (problems.length) {
    showProblems(form, draftAlert, problems);
    if (problems.length === 1) showAlert(draftAlert, 'error', problems[0][1], 'Please check the draft');
    return false;
  }
  try {
    const res = await api.put(`${apiPath}/draft`, body);
    quote.draft = res.draft;
    renderDraft({ fill: true });
    clearAlert(draftNotice);
    return true;
  } catch (err) {
    if (err.code === 'stale_draft' || err.status === 409) showConflict(err);
    else showFormError(form, draftAlert, err, { field: inputName(err.field), title: 'The draft was not saved' });
    return false;
  }
}

async function guarded(fn) {
  busy = true;
  try {
    return await fn();
  } finally {
    busy = false;
    if (refreshWanted) {
      refreshWanted = false;
      refresh().catch((err) => page.error(err, 'Could not refresh the quote'));
    }
  }
}

function bindDraft() {
  form.addEventListener('input', () => setDirty(true));
  form.addEventListener('change', () => setDirty(true));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (busy) return;
    withBusy($('#draft-save'), () => guarded(async () => {
      if (await save()) {
        showAlert(draftAlert, 'success', `Revision ${quote.draft.revision} saved. Totals are the server’s.`, 'Draft saved');
      }
    }));
  });
  $('#draft-send').addEventListener('click', (ev) => {
    if (busy) return;
    withBusy(ev.currentTarget, () => guarded(async () => {
      if (dirty && !(await save())) return;
      try {
        const res = await api.post(`${apiPath}/send`, { revision: baseRevision });
        quote = res.quote || quote;
        const n = res.version?.version ?? quote.currentVersion;
        await refresh({ fill: true });
        showAlert(draftAlert, 'success', `The buyer can now read version ${n}${res.version?.total ? ` (${money(res.version.total)})` : ''}.`, `Version ${n} sent`);
      } catch (err) {
        if (err.code === 'stale_draft') showConflict(err);
        else showAlert(draftAlert, 'error', err.message, 'Not sent');
      }
    }));
  });
}

function bindDecline() {
  bindForm($('#decline-form'), {
    alert: $('#decline-alert'),
    check: (f) => (f.elements.reason.value.trim() ? [] : [['reason', 'Tell the buyer why.']]),
    async submit(f) {
      const res = await api.post(`${apiPath}/decline`, { reason: f.elements.reason.value.trim() });
      if (res.quote) quote = { ...quote, ...res.quote };
      f.reset();
      await refresh();
      toast('Quote declined', quote.number || '');
    },
  });
}

// ---------- everything ----------

function renderAll({ fill = false } = {}) {
  renderHeader();
  renderBuyer();
  renderDraft({ fill });
  renderVersions($('#versions'), $('#versions-meta'), quote);
  renderChangeRequests($('#change-requests'), quote);
  renderHistory($('#history'), quote);
  document.body.dataset.quoteStatus = quote.status;
  $('#workspace').hidden = false;
}

// Someone else's change: everything but the inputs follows at once; the inputs follow only when
// nothing is being edited here, otherwise the person is told, never overwritten.
async function refresh({ fill = false } = {}) {
  if (busy && !fill) {
    refreshWanted = true;
    return;
  }
  const data = await api.get(apiPath);
  quote = data.quote;
  const moved = (quote.draft?.revision ?? 0) !== baseRevision;
  if (moved && dirty && !fill) {
    showAlert(draftNotice, 'info', `${savedBy(quote.draft?.updatedBy)} saved revision ${quote.draft?.revision} while you were editing. Saving yours will be refused; reload the draft to see theirs.`, 'The draft changed');
    draftNotice.dataset.revision = String(quote.draft?.revision);
    // The figures and totals below stay those of the revision being edited.
    renderHeader();
    renderVersions($('#versions'), $('#versions-meta'), quote);
    renderChangeRequests($('#change-requests'), quote);
    renderHistory($('#history'), quote);
    return;
  }
  renderAll({ fill: fill || moved });
}

let timer = null;
function refreshSoon() {
  clearTimeout(timer);
  timer = setTimeout(() => refresh().catch((err) => page.error(err, 'Could not refresh the quote')), 200);
}

mountPage({
  auth: 'staff',
  topics: () => (quoteId ? [`quote:${quoteId}`, 'admin'] : []),
  async load(p) {
    page = p;
    const data = await (quoteId ? api.get(apiPath) : Promise.reject(new Error('No quote named in the address.'))).catch((err) => {
      $('#quote-title').textContent = err.status === 404 ? 'Quote not found' : 'Quote';
      throw err;
    });
    quote = data.quote;
    staff = await colleagues(page.user);
    renderAll({ fill: true });
    bindDraft();
    bindDecline();
    page.realtime.on('event', (msg) => {
      const d = msg.data || {};
      if (msg.event === 'quote.changed' && d.quote?.id === quoteId) refreshSoon();
      if (msg.event === 'quote.message' && d.quoteId === quoteId && msg.topic !== 'admin') {
        loadThread(quoteId).catch((err) => page.error(err, 'Could not load the messages'));
      }
    });
    page.realtime.on('resync', () => {
      refreshSoon();
      loadThread(quoteId).catch(() => {});
    });
    await mountThread(quoteId);
  },
});
