// One buyer in one place: profile and licence, what they prefer, staff notes, and their quotes,
// orders, cart and searches; staff verify the business, suspend or restore the account here.
import { api } from '../api.js';
import { bindForm, withBusy } from '../forms.js';
import { mountPage } from '../page.js';
import { table } from '../table.js';
import { $, h, showAlert, clearAlert, formatDateShort, formatDateTime, relativeTime, BUSINESS_TYPES, ORDER_VOLUMES } from '../ui.js';
import { ORDER_STATUS, QUOTE_STATUS, statusTag } from '../admin/quote-format.js';

const id = new URLSearchParams(location.search).get('id') || '';
const path = `/api/admin/buyers/${encodeURIComponent(id)}`;
const actionAlert = $('#action-alert');
let detail = null;
let confirming = false;

const tag = (cls, text) => h('span', { class: `tag ${cls}`, text });

function stateTags(b) {
  return [
    b.suspended ? tag('tag-bad', 'Suspended') : null,
    b.businessVerified ? tag('tag-ok', 'Business verified') : tag('tag-warn', 'Business not verified'),
    b.verified ? tag('tag-info', 'E-mail verified') : tag('tag-muted', 'E-mail not verified'),
  ];
}

function renderHead(d) {
  const b = d.buyer;
  document.title = `${b.companyName} — Facet`;
  $('#buyer-title').textContent = b.companyName || b.email;
  $('#buyer-meta').replaceChildren(...stateTags(b).filter(Boolean), h('span', { text: `Joined ${formatDateShort(b.createdAt)}` }));
  document.body.dataset.suspended = String(!!b.suspended);
  document.body.dataset.businessVerified = String(!!b.businessVerified);
}

async function update(body, done) {
  clearAlert(actionAlert);
  try {
    detail = await api.patch(path, body);
    render();
    if (done) showAlert(actionAlert, 'success', '', done);
  } catch (err) {
    showAlert(actionAlert, 'error', err.message, 'Could not change this account');
  }
}

function button(label, cls, action, onClick) {
  const b = h('button', { type: 'button', class: `btn btn-small ${cls}`, dataset: { action }, text: label });
  b.addEventListener('click', (ev) => withBusy(ev.currentTarget, onClick));
  return b;
}

function renderActions(d) {
  const b = d.buyer;
  const box = $('#buyer-actions');
  if (confirming) {
    box.replaceChildren(h('div', { class: 'confirm-box', role: 'group', 'aria-labelledby': 'confirm-text' },
      h('p', { id: 'confirm-text', text: `Suspend ${b.companyName}? They are signed out at once and cannot sign in until restored.` }),
      button('Suspend account', 'btn-primary btn-decline-solid', 'confirm-suspend', async () => {
        confirming = false;
        await update({ suspended: true }, 'Account suspended');
      }),
      button('Cancel', 'btn-ghost', 'cancel', async () => {
        confirming = false;
        renderActions(detail);
        $('[data-action="suspend"]')?.focus();
      })));
    $('[data-action="cancel"]', box).focus();
    return;
  }
  box.replaceChildren(
    b.businessVerified
      ? button('Withdraw business verification', 'btn-ghost', 'unverify', () => update({ businessVerified: false }, 'Business verification withdrawn'))
      : button('Verify business', 'btn-primary', 'verify', () => update({ businessVerified: true }, 'Business verified')),
    b.suspended
      ? button('Restore account', 'btn-primary', 'restore', () => update({ suspended: false }, 'Account restored'))
      : button('Suspend…', 'btn-ghost btn-decline', 'suspend', async () => {
        confirming = true;
        renderActions(detail);
      }),
  );
}

function renderProfile(d) {
  const b = d.buyer;
  const facts = [
    ['Contact', b.contactName],
    ['E-mail', h('a', { href: `mailto:${b.email}`, text: b.email })],
    ['Phone', d.phone],
    ['Country', b.country],
    ['Business licence', d.businessLicense],
    ['Business type', BUSINESS_TYPES[d.businessType] || d.businessType],
    ['Typical order', ORDER_VOLUMES[d.typicalOrderVolume] || d.typicalOrderVolume],
    ['Prefers', (d.preferredCategories || []).length ? h('ul', { class: 'tags' }, d.preferredCategories.map((c) => h('li', { class: 'tag', text: c }))) : 'No preference given'],
    ['Account', b.id],
  ];
  $('#buyer-profile').replaceChildren(...facts.flatMap(([k, v]) => [h('dt', { text: k }), h('dd', {}, v === null || v === undefined || v === '' ? '—' : v)]));
}

function renderNotes(d) {
  const notes = d.notes || [];
  $('#buyer-notes').replaceChildren(...(notes.length
    ? notes.map((n) => h('li', { class: 'note-item' },
      h('p', { class: 'pre-line note-body', text: n.body }),
      h('p', { class: 'feed-meta' }, h('span', { text: n.author }), ' · ', h('time', { datetime: n.at, title: formatDateTime(n.at), text: relativeTime(n.at) }))))
    : [h('li', { class: 'muted note-empty', text: 'No notes yet.' })]));
}

const SEARCH_STATUS = { running: 'Running', done: 'Done', failed: 'Failed' };
const capital = (t) => (t ? String(t).charAt(0).toUpperCase() + String(t).slice(1) : t);

function itemTable(container, rows, { caption, link, labels, empty, label = 'What', text = (r) => r.label || r.id, time = formatDateShort }) {
  container.replaceChildren(table({
    caption,
    class: 'buyer-items',
    columns: [
      { label, rowHeader: true, cell: (r) => (link ? h('a', { href: link(r), text: text(r) }) : text(r)) },
      { label: 'Status', cell: (r) => (labels ? statusTag(r.status, labels) : r.status) },
      { label: 'When', class: 'nowrap', cell: (r) => h('time', { datetime: r.at, title: formatDateTime(r.at), text: time(r.at) }) },
    ],
    rows,
    rowAttrs: (r) => ({ dataset: { id: r.id } }),
    empty,
  }));
}

function renderActivity(d) {
  const b = d.buyer;
  $('#buyer-counts').replaceChildren(...[[b.searches ?? d.searches.length, 'searches'], [b.quotes ?? d.quotes.length, 'quotes'], [b.orders ?? d.orders.length, 'orders']]
    .map(([n, what]) => h('div', { class: 'stat' }, h('b', { text: String(n) }), h('span', { text: what }))));
  itemTable($('#buyer-quotes'), d.quotes || [], { caption: 'Quotes', label: 'Quote', labels: QUOTE_STATUS, empty: 'No quote requests.', link: (r) => `/admin-quote.html?id=${encodeURIComponent(r.id)}` });
  itemTable($('#buyer-orders'), d.orders || [], { caption: 'Orders', label: 'Order', labels: ORDER_STATUS, empty: 'No orders.', link: (r) => `/admin-order.html?id=${encodeURIComponent(r.id)}` });
  $('#buyer-cart').replaceChildren(table({
    caption: 'Cart',
    class: 'buyer-items',
    columns: [
      { label: 'Design', rowHeader: true, cell: (r) => h('code', { class: 'small-code', text: r.id }) },
      { label: 'Quantity', cell: (r) => r.label },
      { label: 'Added', class: 'nowrap', cell: (r) => h('time', { datetime: r.at, title: formatDateTime(r.at), text: formatDateShort(r.at) }) },
    ],
    rows: d.cart || [],
    empty: 'The cart is empty.',
  }));
  itemTable($('#buyer-searches'), d.searches || [], {
    caption: 'Searches', label: 'Category', labels: SEARCH_STATUS, empty: 'No searches yet.', text: (r) => capital(r.label), time: formatDateTime,
  });
}

function render() {
  renderHead(detail);
  renderActions(detail);
  renderProfile(detail);
  renderNotes(detail);
  renderActivity(detail);
  $('#buyer-view').hidden = false;
}

mountPage({
  auth: 'staff',
  async load() {
    if (!id) throw new Error('No buyer was named in the address. Open one from the list of buyers.');
    detail = await api.get(path);
    render();
    const form = $('#note-form');
    bindForm(form, {
      alert: $('#note-alert'),
      check: (f) => (f.elements.note.value.trim() ? [] : [['note', 'Write the note first.']]),
      async submit(f) {
        detail = await api.patch(path, { note: f.elements.note.value.trim() });
        f.reset();
        render();
      },
    });
  },
});
