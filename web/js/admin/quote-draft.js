// The draft editor's lines: each request line with its true origin, what the buyer asked for, the
// offer as it stands today, a live stock and cost check (inventory) or the supplier's quote
// (marketplace), and the draft's own inputs. Prices are typed in major units and sent as integer
// minor units; totals, costs and margins are only ever the server's (shown after each save).
// Inputs are named by their JSON path in PUT …/draft ("lines[0].unitPrice"), so a server error
// that names a field lands beside its input.
import { api } from '../api.js';
import { withBusy } from '../forms.js';
import { offerPriceText, moqText, daysText, AVAILABILITY } from '../offers.js';
import { $, $$, h, formatDateTime, relativeTime } from '../ui.js';
import { dateValue, majorText, marginText, money, originView, parseMajor, parseWhole, put, thumb } from './quote-format.js';

const SYMBOLS = { USD: '$', EUR: '€', GBP: '£' };

function field(id, label, name, input, { hint, suffix, prefix } = {}) {
  const control = prefix ? h('span', { class: 'input-prefix' }, h('span', { text: prefix }), input)
    : suffix ? h('span', { class: 'input-suffix' }, input, h('span', { text: suffix })) : input;
  input.id = id;
  input.name = name;
  return h('div', { class: 'field' },
    h('label', { for: id, text: label }), control,
    hint ? h('p', { class: 'hint', text: hint }) : null,
    h('p', { class: 'field-error', dataset: { errorFor: name }, 'aria-live': 'polite' }));
}

const textInput = (attrs = {}) => h('input', { type: 'text', autocomplete: 'off', ...attrs });

function liveOfferText(offer) {
  if (!offer) return h('span', { class: 'avail-gone', text: 'No longer offered today' });
  return [
    h('span', { text: `Today: ${offerPriceText(offer)}` }),
    offer.moq ? h('span', { text: `MOQ ${moqText(offer)}` }) : null,
    offer.deliveryDays ? h('span', { text: daysText(offer.deliveryDays) }) : null,
    offer.availability ? h('span', { text: AVAILABILITY[offer.availability] || offer.availability }) : null,
  ];
}

function stockCheck(line, origin, onChecked) {
  const out = h('div', { class: 'ql-live', 'aria-live': 'polite', dataset: { for: line.id } });
  const button = h('button', {
    type: 'button', class: 'btn btn-ghost btn-small', dataset: { action: 'check-stock', lineId: line.id, busyLabel: 'Checking…' }, text: 'Check stock & cost',
    onclick: (ev) => withBusy(ev.currentTarget, async () => {
      try {
        const c = await api.get(`/api/admin/catalog/${encodeURIComponent(origin.sku)}/live`);
        out.className = 'ql-live';
        put(out, 
          h('span', {}, 'Stock ', h('b', { dataset: { stock: String(c.stock) }, text: String(c.stock ?? '—') })),
          h('span', {}, 'Cost ', h('b', { text: money(c.baseCost) })),
          c.status && c.status !== 'active' ? h('span', { class: 'avail-gone', text: c.status }) : null,
          h('span', { class: 'sub', text: c.live ? `live, ${formatDateTime(c.asOf)}` : `brand unreachable: stored figures from ${relativeTime(c.asOf)}${c.reason ? ` (${c.reason})` : ''}` }));
        // The check stores the brand's cost: the proposed price follows it.
        const proposed = await onChecked(line.id);
        if (proposed) out.insertBefore(h('span', {}, 'Proposed ', h('b', { dataset: { proposed: String(proposed.amount) }, text: money(proposed) })), out.lastChild);
      } catch (err) {
        out.className = 'ql-live ql-live-error';
        put(out, h('span', { text: err.message || 'The check failed.' }));
      }
    }),
  });
  return h('div', { class: 'ql-check' }, button, out);
}

function supplierQuoteFields(i, lineId, currency) {
  const p = `lines[${i}].supplierQuote`;
  const id = (k) => `sq-${lineId}-${k}`;
  return h('details', { class: 'ql-supplier', dataset: { lineId } },
    h('summary', {}, 'Supplier’s quote ', h('span', { class: 'sub ql-sq-summary', dataset: { sqSummary: lineId } })),
    h('div', { class: 'ql-sq-grid' },
      field(id('price'), 'Unit price', `${p}.unitPrice`, textInput({ inputmode: 'decimal', dataset: { sq: 'unitPrice' } }), { prefix: SYMBOLS[currency] || currency }),
      field(id('moq'), 'MOQ', `${p}.moq`, textInput({ inputmode: 'numeric', dataset: { sq: 'moq' } })),
      field(id('lead'), 'Lead time', `${p}.leadTimeDays`, textInput({ inputmode: 'numeric', dataset: { sq: 'leadTimeDays' } }), { suffix: 'days' }),
      field(id('valid'), 'Valid until', `${p}.validUntil`, h('input', { type: 'date', dataset: { sq: 'validUntil' } })),
      h('div', { class: 'span-all' }, field(id('note'), 'Note', `${p}.note`, textInput({ maxlength: 500, dataset: { sq: 'note' } })))),
    h('p', { class: 'hint', text: 'Saved with the draft. The proposed price follows the supplier’s price.' }));
}

function lineView(line, i, quote, onChecked) {
  const origin = quote.origins?.[line.id];
  const currency = quote.draft?.currency || 'USD';
  const name = (k) => `lines[${i}].${k}`;
  const id = (k) => `dl-${line.id}-${k}`;
  return h('article', { class: 'ql-line', dataset: { lineId: line.id, source: line.source || '', index: String(i) } },
    h('div', { class: 'ql-head' },
      thumb(line.image, line.title),
      h('div', { class: 'ql-what' },
        h('h3', { class: 'ql-title', text: line.title || 'Untitled design' }),
        h('p', { class: 'ql-origin' }, originView(origin)),
        h('p', { class: 'ql-asked' }, h('span', {}, 'Buyer asks ', h('b', { text: `${line.quantity}` }), ' pcs'),
          line.category ? h('span', { class: 'sub-inline', text: line.category }) : null),
        line.note ? h('blockquote', { class: 'ql-note', text: line.note }) : null,
        h('p', { class: 'ql-today', dataset: { liveFor: line.id } }, liveOfferText(quote.live?.[line.id])))),
    origin?.kind === 'brand' && origin.sku ? stockCheck(line, origin, onChecked) : null,
    origin?.kind === 'marketplace' || (!origin && line.source === 'marketplace') ? supplierQuoteFields(i, line.id, currency) : null,
    h('div', { class: 'ql-inputs' },
      field(id('price'), 'Unit price', name('unitPrice'), textInput({ inputmode: 'decimal', dataset: { k: 'unitPrice' } }), { prefix: SYMBOLS[currency] || currency }),
      field(id('qty'), 'Quantity', name('quantity'), textInput({ inputmode: 'numeric', dataset: { k: 'quantity' } })),
      field(id('moq'), 'MOQ', name('moq'), textInput({ inputmode: 'numeric', dataset: { k: 'moq' } })),
      field(id('days'), 'Delivery', name('deliveryDays'), textInput({ inputmode: 'numeric', dataset: { k: 'deliveryDays' } }), { suffix: 'days' })),
    h('dl', { class: 'ql-figures', dataset: { figuresFor: line.id } }));
}

export function buildLines(container, quote, { onChecked }) {
  const lines = quote.request?.lines || [];
  container.replaceChildren(...lines.map((line, i) => lineView(line, i, quote, onChecked)));
  container.dataset.lineIds = lines.map((l) => l.id).join(' ');
}

export function sameLines(container, quote) {
  return container.dataset.lineIds === (quote.request?.lines || []).map((l) => l.id).join(' ');
}

function draftLine(draft, lineId) {
  return (draft?.lines || []).find((l) => l.lineId === lineId) || null;
}

// What the server worked out for a line: cost, the proposed price, margin, line total. Also the
// live offer text (today's offer moves while staff work).
export function showFigures(container, quote) {
  const draft = quote.draft;
  for (const el of $$('.ql-line', container)) {
    const lineId = el.dataset.lineId;
    const d = draftLine(draft, lineId);
    const proposed = d?.proposedUnitPrice;
    const use = proposed ? h('button', {
      type: 'button', class: 'link-button', dataset: { action: 'use-proposed', lineId }, text: 'use',
      onclick: () => {
        const input = $('[data-k="unitPrice"]', el);
        input.value = majorText(proposed.amount);
        input.dispatchEvent(new Event('input', { bubbles: true }));
      },
    }) : null;
    const marginBad = d?.margin && d.margin.basisPoints < 0;
    put($('.ql-figures', el), 
      h('div', {}, h('dt', { text: 'Cost' }), h('dd', { text: money(d?.cost) })),
      h('div', {}, h('dt', { text: 'Proposed' }), h('dd', {}, h('span', { dataset: { proposed: proposed ? String(proposed.amount) : '' }, text: money(proposed) }), use ? [' ', use] : null)),
      h('div', {}, h('dt', { text: 'Margin' }), h('dd', { class: marginBad ? 'margin-bad' : null, dataset: { margin: d?.margin ? String(d.margin.basisPoints) : '' }, text: marginText(d?.margin) })),
      h('div', { class: 'ql-line-total' }, h('dt', { text: 'Line total' }), h('dd', { dataset: { lineTotal: d?.lineTotal ? String(d.lineTotal.amount) : '' }, text: money(d?.lineTotal) })));
    const today = $('.ql-today', el);
    if (today) put(today, liveOfferText(quote.live?.[lineId]));
    const sq = d?.supplierQuote;
    const summary = $(`[data-sq-summary="${CSS.escape(lineId)}"]`, el);
    if (summary) summary.textContent = sq ? `${money(sq.unitPrice)} · MOQ ${sq.moq} · ${sq.leadTimeDays} days` : '(none recorded)';
  }
}

// Puts the draft into the inputs (after a load, a save or a reload), leaving nothing dirty.
export function fillLines(container, quote) {
  const draft = quote.draft;
  const requestLines = new Map((quote.request?.lines || []).map((l) => [l.id, l]));
  for (const el of $$('.ql-line', container)) {
    const lineId = el.dataset.lineId;
    const d = draftLine(draft, lineId);
    const set = (k, v) => {
      const input = $(`[data-k="${k}"]`, el);
      if (input) input.value = v ?? '';
    };
    // A draft not yet priced starts from the proposed price and today's offer; saving makes it its own.
    const offer = quote.live?.[lineId];
    const price = d?.unitPrice || d?.proposedUnitPrice;
    set('unitPrice', price ? majorText(price.amount) : '');
    const unit = $('[data-k="unitPrice"]', el);
    unit.placeholder = d?.proposedUnitPrice ? majorText(d.proposedUnitPrice.amount) : '';
    set('quantity', d?.quantity ?? requestLines.get(lineId)?.quantity ?? '');
    set('moq', d?.moq ?? d?.supplierQuote?.moq ?? offer?.moq ?? '');
    set('deliveryDays', d?.deliveryDays ?? offer?.deliveryDays?.max ?? '');
    const sq = d?.supplierQuote;
    for (const input of $$('[data-sq]', el)) {
      const k = input.dataset.sq;
      if (!sq) input.value = '';
      else if (k === 'unitPrice') input.value = sq.unitPrice ? majorText(sq.unitPrice.amount) : '';
      else if (k === 'validUntil') input.value = dateValue(sq.validUntil);
      else input.value = sq[k] ?? '';
    }
  }
  showFigures(container, quote);
}

// The lines part of the PUT body, and the problems found before anything is sent.
export function collectLines(container) {
  const lines = [];
  const problems = [];
  for (const el of $$('.ql-line', container)) {
    const i = el.dataset.index;
    const get = (k) => $(`[data-k="${k}"]`, el);
    const line = { lineId: el.dataset.lineId };
    const price = parseMajor(get('unitPrice').value);
    if (price === null || price < 1) problems.push([get('unitPrice').name, 'A unit price such as 12.50.']);
    line.unitPrice = price;
    const qty = parseWhole(get('quantity').value, { min: 1 });
    if (qty === null) problems.push([get('quantity').name, 'A whole number of pieces, at least 1.']);
    line.quantity = qty;
    const moq = parseWhole(get('moq').value, { min: 1 });
    if (moq === null) problems.push([get('moq').name, 'The minimum order, at least 1.']);
    line.moq = moq;
    const days = parseWhole(get('deliveryDays').value, { min: 0, max: 730 });
    if (days === null) problems.push([get('deliveryDays').name, 'Days to deliver, 0 to 730.']);
    line.deliveryDays = days;

    const sqInputs = $$('[data-sq]', el);
    if (sqInputs.some((input) => input.value.trim())) {
      const v = (k) => sqInputs.find((input) => input.dataset.sq === k);
      const sq = {};
      sq.unitPrice = parseMajor(v('unitPrice').value);
      if (sq.unitPrice === null || sq.unitPrice < 1) problems.push([v('unitPrice').name, 'The supplier’s unit price, such as 4.20.']);
      sq.moq = parseWhole(v('moq').value, { min: 1 });
      if (sq.moq === null) problems.push([v('moq').name, 'The supplier’s minimum order.']);
      sq.leadTimeDays = parseWhole(v('leadTimeDays').value, { min: 0, max: 730 });
      if (sq.leadTimeDays === null) problems.push([v('leadTimeDays').name, 'Lead time in days.']);
      if (v('validUntil').value) sq.validUntil = v('validUntil').value;
      if (v('note').value.trim()) sq.note = v('note').value.trim();
      line.supplierQuote = sq;
      if (problems.some(([name]) => name.startsWith(`lines[${i}].supplierQuote`))) el.querySelector('.ql-supplier').open = true;
    }
    lines.push(line);
  }
  return { lines, problems };
}

// "lines.0.unitPrice" or "lines[0].unitPrice": the server may write either.
export function inputName(field) {
  return field ? String(field).replace(/\.(\d+)(?=\.|$)/g, '[$1]') : field;
}

export function currencySymbol(currency) {
  return SYMBOLS[currency] || currency || '';
}
