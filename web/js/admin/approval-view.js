// One approval as a card: the photos, what the brand or listing says beside what Facet's vision
// read from the first photo, a correction per attribute (kept as a labelled example for the
// attribute heads), and the decision. Values are the compared vocabulary of ProductLabels: metal
// is the colour a photo shows, stones are none | clear | coloured | pearl.
import { ago } from './dashboard.js';
import { h, formatDateTime } from '../ui.js';

export const ATTRIBUTES = [
  { key: 'metal', label: 'Metal', says: ['metal', 'metalColor', 'purity'], values: ['yellow', 'rose', 'white', 'two-tone'] },
  { key: 'stones', label: 'Stones', says: ['gemstone', 'gemstones', 'stones'], values: ['none', 'clear', 'coloured', 'pearl'] },
  { key: 'stoneColour', label: 'Stone colour', says: ['stoneColor', 'stoneColour', 'gemstoneColor'], values: ['red', 'blue', 'green', 'purple', 'pink', 'yellow', 'white', 'black'] },
  { key: 'style', label: 'Style', says: ['style'], values: ['vintage', 'modern', 'ethnic', 'minimalist', 'statement'] },
  { key: 'setting', label: 'Setting', says: ['setting'], values: ['prong', 'bezel', 'pave', 'channel', 'none'] },
  { key: 'plating', label: 'Plating', says: ['plating'], values: ['none', 'rhodium', 'gold_vermeil', 'rose_gold_plated'] },
  { key: 'craftsmanship', label: 'Craftsmanship', says: ['craftsmanship'], values: ['plain', 'engraved', 'filigree', 'textured'] },
  { key: 'pattern', label: 'Pattern', says: ['pattern'], values: ['none', 'floral', 'geometric', 'abstract'] },
];

const KIND = { brand_product: 'Brand product', marketplace_listing: 'Marketplace listing' };
const STATUS_TONE = { pending: 'tag-warn', approved: 'tag-ok', rejected: 'tag-bad' };
const STATUS_WORDS = { pending: 'Waiting', approved: 'Approved', rejected: 'Rejected' };

const words = (v) => String(v).replace(/_/g, ' ').replace(/([a-z])([A-Z])/g, (m, a, b) => `${a} ${b.toLowerCase()}`);

// Any stored value as short text: "yellow gold", "4, 5, 6", "diamond ×19".
function text(v) {
  if (v === null || v === undefined || v === '') return '';
  if (Array.isArray(v)) return v.map(text).filter(Boolean).join(', ');
  if (typeof v === 'object') {
    if ('value' in v) return text(v.value);
    if (v.type) return [words(v.type), v.color ? `(${words(v.color)})` : '', v.count ? `×${v.count}` : ''].filter(Boolean).join(' ');
    return Object.entries(v).map(([k, x]) => `${k} ${text(x)}`).join(', ');
  }
  return words(v);
}

function said(attributes, keys) {
  const a = attributes && typeof attributes === 'object' ? attributes : {};
  return keys.map((k) => text(a[k])).filter(Boolean).join(' · ');
}

// What the vision read: {metal: {value, confidence}}, sometimes under `values`; stoneColours is a list.
function read(extracted, key) {
  const e = extracted && typeof extracted === 'object' ? extracted : {};
  const v = e[key] ?? e.values?.[key] ?? (key === 'stoneColour' ? e.stoneColours ?? e.values?.stoneColours : undefined);
  if (v === undefined || v === null) return { value: '', confidence: null };
  if (Array.isArray(v)) return { value: v.map((x) => (typeof x === 'object' ? text(x.value ?? x.colour ?? x) : text(x))).join(', '), confidence: null };
  if (typeof v === 'object') return { value: text(v.value), confidence: Number.isFinite(v.confidence) ? v.confidence : null };
  return { value: text(v), confidence: null };
}

function attributeRows(a) {
  const pending = a.status === 'pending';
  return ATTRIBUTES.map((attr) => {
    const r = read(a.extracted, attr.key);
    const brand = said(a.attributes, attr.says);
    const corrected = a.corrections?.[attr.key];
    const id = `fix-${a.id}-${attr.key}`;
    const fix = pending
      ? [h('label', { for: id, class: 'visually-hidden', text: `Correct ${attr.label.toLowerCase()}` }),
        h('select', { id, name: `corrections.${attr.key}`, dataset: { attribute: attr.key } },
          h('option', { value: '', text: r.value ? 'As read' : '—' }),
          attr.values.map((v) => h('option', { value: v, text: words(v) })))]
      : (corrected ? h('strong', { class: 'corrected', text: words(corrected) }) : h('span', { class: 'sub', text: '—' }));
    return h('tr', { dataset: { attribute: attr.key } },
      h('th', { scope: 'row', text: attr.label }),
      h('td', { dataset: { label: a.kind === 'brand_product' ? 'Brand says' : 'Listing says' }, text: brand || '—' }),
      h('td', { dataset: { label: 'Facet read' } },
        r.value ? [h('span', { text: r.value }), r.confidence !== null ? h('span', { class: 'sub-inline', text: `${Math.round(r.confidence * 100)} %` }) : null] : h('span', { class: 'sub', text: 'not read' })),
      h('td', { dataset: { label: 'Correction' } }, fix));
  });
}

// The brand's other words (type, purity, sizes…), so nothing it sends is hidden.
function otherAttributes(a) {
  const shown = new Set(ATTRIBUTES.flatMap((x) => x.says));
  const rest = Object.entries(a.attributes && typeof a.attributes === 'object' ? a.attributes : {}).filter(([k]) => !shown.has(k));
  if (!rest.length) return null;
  return h('dl', { class: 'approval-more' }, rest.map(([k, v]) => [h('dt', { text: words(k) }), h('dd', { text: text(v) || '—' })]));
}

function photos(a) {
  const list = Array.isArray(a.photos) ? a.photos : [];
  if (!list.length) return h('div', { class: 'approval-photos approval-photos-none' }, h('span', { text: 'No photo' }));
  const main = h('img', { class: 'approval-main', src: list[0], alt: `Photo of ${a.title}` });
  const thumbs = list.length > 1 ? h('div', { class: 'approval-thumbs' }, list.slice(0, 6).map((src, i) => h('button', {
    type: 'button', class: 'approval-thumb', 'aria-label': `Photo ${i + 1}`, 'aria-pressed': i === 0 ? 'true' : 'false',
    onclick: (ev) => {
      main.src = src;
      for (const b of ev.currentTarget.parentElement.children) b.setAttribute('aria-pressed', b === ev.currentTarget ? 'true' : 'false');
    },
  }, h('img', { src, alt: '' })))) : null;
  return h('div', { class: 'approval-photos' }, main, thumbs);
}

function decided(a) {
  const who = [a.decidedBy, a.decidedAt ? formatDateTime(a.decidedAt) : ''].filter(Boolean).join(', ');
  return h('div', { class: `approval-decided approval-${a.status}` },
    h('strong', { text: `${STATUS_WORDS[a.status] || a.status}${who ? ` by ${who}` : ''}` }),
    a.reason ? h('p', { class: 'pre-line', text: a.reason }) : null);
}

function decisionForm(a, onDecide) {
  const reasonId = `reason-${a.id}`;
  const form = h('form', { class: 'approval-decide', novalidate: true, dataset: { id: a.id } },
    h('div', { class: 'field' },
      h('label', { for: reasonId }, 'Reason ', h('span', { class: 'optional', text: '(required to reject)' })),
      h('textarea', { id: reasonId, name: 'reason', rows: '2', maxlength: '1000' }),
      h('p', { class: 'field-error', dataset: { errorFor: 'reason' }, 'aria-live': 'polite' })),
    h('div', { class: 'form-actions' },
      h('button', { type: 'submit', class: 'btn btn-primary btn-small', dataset: { action: 'approve', busyLabel: 'Approving…' }, text: 'Approve' }),
      h('button', { type: 'button', class: 'btn btn-ghost btn-small btn-decline', dataset: { action: 'reject', busyLabel: 'Rejecting…' }, text: 'Reject' }),
      h('span', { class: 'aside approval-fixes', 'aria-live': 'polite' })));
  form.addEventListener('submit', (ev) => { ev.preventDefault(); onDecide(form, 'approve'); });
  form.querySelector('[data-action="reject"]').addEventListener('click', () => onDecide(form, 'reject'));
  return form;
}

export function approvalCard(a, { onDecide }) {
  const sinceWords = a.status === 'pending' ? `waiting since ${ago(a.createdAt) || formatDateTime(a.createdAt)}` : `proposed ${formatDateTime(a.createdAt)}`;
  const card = h('article', { class: 'card approval', id: `approval-${a.id}`, dataset: { id: a.id, status: a.status, kind: a.kind, subject: a.subject } },
    photos(a),
    h('div', { class: 'approval-body' },
      h('div', { class: 'approval-head' },
        h('h2', { text: a.title || a.subject }),
        h('span', { class: 'queue-tags' },
          h('span', { class: 'tag tag-info', text: KIND[a.kind] || a.kind }),
          h('span', { class: `tag ${STATUS_TONE[a.status] || ''}`, text: STATUS_WORDS[a.status] || a.status }))),
      h('p', { class: 'ws-meta' },
        h('span', { class: 'nowrap', text: a.subject }),
        a.source ? h('span', { text: a.source }) : null,
        a.category ? h('span', { text: a.category }) : null,
        h('span', { text: sinceWords })),
      h('div', { class: 'table-wrap' }, h('table', { class: 'attr-table' },
        h('caption', { class: 'visually-hidden', text: 'Attributes: what the source says, what Facet read, and corrections' }),
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col', text: 'Attribute' }),
          h('th', { scope: 'col', text: a.kind === 'brand_product' ? 'Brand says' : 'Listing says' }),
          h('th', { scope: 'col', text: 'Facet read' }),
          h('th', { scope: 'col', text: 'Correction' }))),
        h('tbody', {}, attributeRows(a)))),
      otherAttributes(a),
      a.status === 'pending' ? decisionForm(a, onDecide) : decided(a)));
  card.querySelectorAll('select[data-attribute]').forEach((select) => select.addEventListener('change', () => {
    const n = [...card.querySelectorAll('select[data-attribute]')].filter((s) => s.value).length;
    card.querySelector('.approval-fixes').textContent = n ? `${n} correction${n === 1 ? '' : 's'} will be kept` : '';
  }));
  return card;
}

// The corrections chosen on a card: { metal: 'rose', … }.
export function corrections(card) {
  const out = {};
  for (const select of card.querySelectorAll('select[data-attribute]')) if (select.value) out[select.dataset.attribute] = select.value;
  return out;
}
