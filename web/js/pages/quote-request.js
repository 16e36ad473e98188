// The quote request: every design of the cart (or of one product page, ?offer=<id>&quantity=<n>)
// with a checkbox, its quantity and a note; customisation, delivery and use for the whole
// request. One Idempotency-Key per form, so a double click or a retry after a lost answer makes
// one quote. A server error lands beside the field it names (lines[1].quantity → that design).
import { api, ApiError } from '../api.js';
import { clearFieldErrors, setFieldError, showFormError, showProblems } from '../forms.js';
import { mountPage } from '../page.js';
import { SOURCE_LABEL, moqText, offerHref, plural } from '../offers.js';
import { $, $$, h, icon, clearAlert, formatDateTime } from '../ui.js';
import { countries, countryCode } from '../quotes/countries.js';
import { newIdempotencyKey, postOnce } from '../quotes/client.js';
import { quoteHref, put } from '../quotes/labels.js';

let lines = []; // { key, offerId, title, image, source, moq, moqUnit, quantity, note, available }
let sent = []; // the lines of the request in flight, in the order the server will number them
let key = newIdempotencyKey();
let inFlight = false;

function fromCartLine(l) {
  const offer = l.offer || {};
  const snap = l.snapshot || {};
  return {
    key: l.id,
    offerId: l.offerId,
    title: offer.title || snap.title || 'Design',
    image: offer.images?.[0] || snap.image || '',
    source: offer.source || snap.source || 'inventory',
    moq: l.moq ?? offer.moq,
    moqUnit: l.moqUnit || offer.moqUnit || 'pieces',
    quantity: l.quantity,
    note: l.note || '',
    available: l.available !== false,
  };
}

function fromOffer(offer, quantity) {
  return {
    key: 'offer',
    offerId: offer.id,
    title: offer.title,
    image: offer.images?.[0] || '',
    source: offer.source,
    moq: offer.moq,
    moqUnit: offer.moqUnit || 'pieces',
    quantity: Number.isInteger(quantity) && quantity > 0 ? quantity : offer.moq,
    note: '',
    available: true,
  };
}

function parseQty(text) {
  const t = String(text || '').trim();
  return /^\d{1,7}$/.test(t) && Number(t) >= 1 ? Number(t) : null;
}

function lineItem(line, single) {
  const base = `line-${line.key}`;
  const include = h('input', { type: 'checkbox', id: `${base}-include`, name: `${base}-include`, checked: line.available, disabled: !line.available, dataset: { include: line.key } });
  const qty = h('input', { type: 'text', inputmode: 'numeric', id: `${base}-quantity`, name: `${base}-quantity`, class: 'qty-input', autocomplete: 'off', value: String(line.quantity), disabled: !line.available });
  const hint = h('p', { class: 'hint', id: `${base}-quantity-hint` });
  const checkQty = () => {
    const n = parseQty(qty.value);
    if (!Number.isInteger(line.moq)) return;
    hint.textContent = n !== null && n < line.moq ? `Below the minimum order of ${moqText(line)}: we quote from ${line.moq}.` : `Minimum order ${moqText(line)}.`;
  };
  qty.setAttribute('aria-describedby', hint.id);
  qty.addEventListener('input', checkQty);
  checkQty();
  const note = h('textarea', { id: `${base}-note`, name: `${base}-note`, rows: 2, maxlength: 500, class: 'line-note-input', placeholder: 'Size, plating, engraving for this design…', disabled: !line.available });
  note.value = line.note;
  const li = h('li', { class: `request-line${line.available ? '' : ' is-unavailable'}`, dataset: { lineKey: line.key, offerId: line.offerId } },
    h('label', { class: `request-pick${single ? ' visually-hidden' : ''}`, for: include.id }, include, h('span', { class: 'visually-hidden', text: `Include ${line.title}` })),
    h('a', { class: 'line-media', href: offerHref({ id: line.offerId }), tabindex: '-1', 'aria-hidden': 'true' }, h('img', { src: line.image, alt: '', width: 72, height: 72, loading: 'lazy' })),
    h('div', { class: 'line-main' },
      h('h3', { class: 'line-title' }, h('a', { href: offerHref({ id: line.offerId }), text: line.title })),
      h('p', { class: 'line-facts' },
        h('span', { class: `src-badge ${line.source === 'inventory' ? 'src-inventory' : 'src-sourced'}`, text: SOURCE_LABEL[line.source] || 'Sourced to order' }),
        line.available ? null : h('span', { class: 'avail-gone', text: 'No longer available' })),
      h('p', { class: 'field-error', dataset: { errorFor: base } })),
    h('div', { class: 'field request-qty' },
      h('label', { for: qty.id, text: `Quantity (${plural(2, line.moqUnit)})` }), qty, hint,
      h('p', { class: 'field-error', dataset: { errorFor: `${base}-quantity` } })),
    h('div', { class: 'field request-note' },
      h('label', { for: note.id }, 'Note ', h('span', { class: 'optional', text: '(optional)' })), note,
      h('p', { class: 'field-error', dataset: { errorFor: `${base}-note` } })));
  const sync = () => {
    li.classList.toggle('is-excluded', !include.checked);
    qty.disabled = !include.checked;
    note.disabled = !include.checked;
  };
  include.addEventListener('change', () => { sync(); updateCount(); });
  sync();
  return li;
}

function chosen() {
  return lines.filter((l) => l.available && $(`#line-${CSS.escape(l.key)}-include`)?.checked);
}

function updateCount() {
  const n = chosen().length;
  const quotable = lines.filter((l) => l.available).length;
  $('#quote-count').textContent = n ? `${n} ${n === 1 ? 'design' : 'designs'} in this request` : 'Choose at least one design.';
  const all = $('#select-all');
  all.checked = n === quotable && n > 0;
  all.indeterminate = n > 0 && n < quotable;
}

// Customisation for the whole request, as one text our sales team reads.
function customisationText(form) {
  const parts = [['Size', 'custom-size'], ['Plating', 'custom-plating'], ['Engraving', 'custom-engraving'], ['Packaging', 'custom-packaging']]
    .map(([label, name]) => [label, form.elements[name].value.trim()]).filter(([, v]) => v).map(([label, v]) => `${label}: ${v}`);
  const other = form.elements.customisation.value.trim();
  if (other) parts.push(other);
  return parts.join('\n');
}

function check(form) {
  const problems = [];
  const picked = chosen();
  if (!picked.length) problems.push(['lines', 'Choose at least one design to quote.']);
  for (const l of picked) {
    if (parseQty(form.elements[`line-${l.key}-quantity`].value) === null) problems.push([`line-${l.key}-quantity`, 'Enter a whole number, 1 or more.']);
  }
  if (!form.elements.country.value) problems.push(['country', 'Choose the country we deliver to.']);
  const date = form.elements.preferredDeliveryDate.value;
  if (date && date <= new Date().toISOString().slice(0, 10)) problems.push(['preferredDeliveryDate', 'Choose a date after today.']);
  return problems;
}

function body(form) {
  sent = chosen();
  const out = {
    lines: sent.map((l) => {
      const line = { offerId: l.offerId, quantity: parseQty(form.elements[`line-${l.key}-quantity`].value) };
      const note = form.elements[`line-${l.key}-note`].value.trim();
      if (note) line.note = note;
      return line;
    }),
    urgency: form.elements.urgency.value || 'standard',
    country: form.elements.country.value,
  };
  const date = form.elements.preferredDeliveryDate.value;
  if (date) out.preferredDeliveryDate = date;
  const custom = customisationText(form);
  if (custom) out.customisation = custom;
  if (form.elements.useCase.value) out.useCase = form.elements.useCase.value;
  return out;
}

// The server names a line by its place in the request: lines[1].quantity, lines.1.note.
function controlFor(field) {
  if (!field) return null;
  const m = /^lines(?:\[(\d+)\]|\.(\d+))(?:\.(\w+))?$/.exec(field);
  if (!m) return field.startsWith('customisation') ? 'customisation' : field;
  const line = sent[Number(m[1] ?? m[2])];
  if (!line) return 'lines';
  const sub = m[3];
  if (sub === 'quantity' || sub === 'note') return `line-${line.key}-${sub}`;
  return `line-${line.key}`;
}

function showDone(quote) {
  const form = $('#quote-form');
  form.hidden = true;
  $('#page-lede').hidden = true;
  const due = quote.dueAt ? h('time', { datetime: quote.dueAt, id: 'done-due', text: formatDateTime(quote.dueAt) }) : null;
  put($('#quote-done'), 
    h('div', { class: 'status-icon ok' }, icon('check')),
    h('h2', { id: 'done-title', text: 'Quote request submitted' }),
    h('p', {}, 'Your request ', h('strong', { id: 'done-number', text: quote.number || '' }), ' is with our sales team.'),
    due ? h('p', { class: 'done-due' }, 'We will answer by ', due, '.') : null,
    h('p', { class: 'hint', text: 'You can follow it and talk to our team on the quote page; we tell you here and by e-mail when the quote is ready.' }),
    h('div', { class: 'actions' },
      h('a', { class: 'btn btn-primary', id: 'done-link', href: quoteHref(quote.id), text: `Open quote ${quote.number || ''}`.trim() }),
      h('a', { class: 'btn btn-ghost', href: '/quotes.html', text: 'All quotes' })));
  $('#quote-done').hidden = false;
  document.body.dataset.quoteId = quote.id;
  $('#done-link').focus();
}

function wireForm(page) {
  const form = $('#quote-form');
  const alert = $('#quote-alert');
  const button = $('#quote-submit');
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (inFlight) return;
    clearFieldErrors(form);
    clearAlert(alert);
    const problems = check(form);
    if (problems.length) {
      showProblems(form, alert, problems);
      return;
    }
    inFlight = true;
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    const label = button.textContent;
    button.textContent = button.dataset.busyLabel;
    try {
      const { data } = await postOnce('/api/quotes', body(form), key);
      if (!data.quote) throw new Error('The server answered without the quote.');
      showDone(data.quote);
    } catch (err) {
      // Refused (4xx): nothing was created, so a corrected form is a new request. A lost answer
      // (network, 5xx) keeps the key: sending again returns the quote if it was made.
      if (err instanceof ApiError && err.status >= 400 && err.status < 500) key = newIdempotencyKey();
      const name = controlFor(err.field);
      showFormError(form, alert, err, { field: name, title: 'Your request was not sent' });
      if (name && !form.elements[name]) setFieldError(form, name, err.message);
      if (!(err instanceof ApiError)) page.error(err);
    } finally {
      inFlight = false;
      button.disabled = false;
      button.removeAttribute('aria-busy');
      button.textContent = label;
    }
  });
  $('#select-all').addEventListener('change', (ev) => {
    for (const box of $$('[data-include]')) {
      if (box.disabled) continue;
      box.checked = ev.target.checked;
      box.dispatchEvent(new Event('change'));
    }
    updateCount();
  });
}

mountPage({
  auth: 'buyer',
  async load(page) {
    const params = new URLSearchParams(location.search);
    const offerId = params.get('offer');
    const back = $('#back-link');
    if (!page.user.verified) {
      $('#request-loading').hidden = true;
      throw new ApiError(403, 'not_verified', 'Confirm your e-mail address to request quotes. The link is in your inbox; you can resend it from your home page.');
    }
    let single = false;
    if (offerId) {
      single = true;
      back.href = offerHref({ id: offerId });
      back.append(icon('arrow'), h('span', { text: 'Back to the design' }));
      try {
        const data = await api.get(`/api/offers/${encodeURIComponent(offerId)}`);
        lines = [fromOffer(data.offer, parseQty(params.get('quantity')))];
      } catch (err) {
        $('#request-loading').hidden = true;
        if (err instanceof ApiError && err.status === 404) err.message = 'This design is no longer available.';
        throw err;
      }
    } else {
      back.append(icon('arrow'), h('span', { text: 'Back to cart' }));
      const cart = await api.get('/api/cart');
      lines = (cart.lines || []).map(fromCartLine);
      const pick = (params.get('lines') || '').split(',').filter(Boolean);
      if (pick.length) for (const l of lines) l.preselect = pick.includes(l.key);
    }
    $('#request-loading').hidden = true;
    if (!lines.length) {
      put($('#quote-done'), 
        h('p', { text: 'Your cart is empty. Add designs to your cart, then request a quote for them.' }),
        h('div', { class: 'actions' }, h('a', { class: 'btn btn-primary btn-small', href: '/search.html', text: 'Find jewelry' })));
      $('#quote-done').hidden = false;
      return;
    }
    put($('#request-lines'), ...lines.map((l) => lineItem(l, single)));
    for (const l of lines) {
      if (l.preselect === false) {
        const box = $(`#line-${CSS.escape(l.key)}-include`);
        box.checked = false;
        box.dispatchEvent(new Event('change'));
      }
    }
    $('#select-all-wrap').hidden = single || lines.length < 2;
    if (single) $('#lines-title').textContent = 'Design';
    const country = $('#country');
    country.append(h('option', { value: '', text: 'Choose…' }), ...countries().map((c) => h('option', { value: c.code, text: c.name })));
    country.value = countryCode(page.user.country);
    const tomorrow = new Date(Date.now() + 86400000).toISOString().slice(0, 10);
    $('#delivery-date').min = tomorrow;
    wireForm(page);
    updateCount();
    $('#quote-form').hidden = false;
  },
});
