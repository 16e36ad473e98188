// Find jewelry: upload a design photo, follow the analysis live, browse the results.
import { api, ApiError } from '../api.js';
import { categoryMap, fillCategorySelect } from '../categories.js';
import { bindForm, setFieldError } from '../forms.js';
import { mountPage } from '../page.js';
import { $, h, icon, showAlert, clearAlert, formatDateTime, relativeTime } from '../ui.js';
import {
  formatMoney, offerPriceText, offerMinPrice, parseDollars, moqText, daysText, offerCard, offerHref, matchChips,
  availabilityBadge, similarityText, attributeValueText, ATTRIBUTE_LABEL, plural,
} from '../offers.js';

const STAGES = [
  ['received', 'Photo received'],
  ['extracting_attributes', 'Reading the design'],
  ['searching_inventory', 'Searching our inventory'],
  ['checking_stock', 'Checking price and stock'],
  ['searching_marketplace', 'Searching sourced designs'],
  ['finding_alternatives', 'Choosing alternatives'],
  ['done', 'Results ready'],
];
const STAGE_INDEX = Object.fromEntries(STAGES.map(([k], i) => [k, i]));
const ATTRS = ['metal', 'stones', 'style', 'craftsmanship', 'pattern', 'setting'];

const params = new URLSearchParams(location.search);
let page = null;      // from mountPage
let labels = new Map(); // category id → { label, plural }

function categoryLabel(id) {
  return labels.get(id)?.label || id || '—';
}

// ---------------------------------------------------------------- history

async function loadHistory() {
  const list = $('#history-list');
  try {
    const data = await api.get('/api/searches?limit=12');
    const items = Array.isArray(data.searches) ? data.searches : [];
    list.replaceChildren(...items.map((s) => {
      const bits = [];
      if (s.status === 'running') bits.push('running…');
      else if (s.status === 'failed') bits.push('failed');
      else {
        if (s.exactMatch) bits.push('exact match');
        bits.push(`${s.alternatives} alternative${s.alternatives === 1 ? '' : 's'}`);
      }
      const current = s.id === params.get('id');
      return h('li', { class: current ? 'current' : '' },
        h('a', { href: `/search.html?id=${encodeURIComponent(s.id)}`, 'aria-current': current ? 'page' : null },
          h('img', { src: s.image, alt: '', width: 44, height: 44, loading: 'lazy' }),
          h('span', { class: 'history-text' },
            h('strong', { text: categoryLabel(s.category) }),
            h('span', { class: 'sub', text: `${bits.join(' · ')}${s.maxPrice ? ` · ≤ ${formatMoney(s.maxPrice.amount, s.maxPrice.currency, { wholeOnly: true })}` : ''}` }),
          ),
          h('time', { datetime: s.createdAt, title: formatDateTime(s.createdAt), text: relativeTime(s.createdAt) }),
        ));
    }));
    $('#history-empty').hidden = items.length > 0;
  } catch (err) {
    if (err instanceof ApiError && err.code === 'not_verified') $('#history-empty').hidden = false;
    else page.error(err, 'Could not load your searches');
  }
}

// ---------------------------------------------------------------- upload form

const form = $('#search-form');
const input = $('#image-input');
const dropzone = $('#dropzone');
let chosenFile = null;
let previewURL = '';

function sizeText(bytes) {
  if (bytes >= 1048576) return `${(bytes / 1048576).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

function choose(file) {
  chosenFile = file || null;
  setFieldError(form, 'image', '');
  clearAlert($('#upload-alert'));
  if (!file) {
    $('#dropzone-preview').hidden = true;
    $('#dropzone-empty').hidden = false;
    return;
  }
  $('#preview-name').textContent = file.name;
  $('#preview-size').textContent = sizeText(file.size);
  $('#dropzone-empty').hidden = true;
  $('#dropzone-preview').hidden = false;
  dropzone.classList.add('has-file');
  const img = $('#preview-img');
  img.removeAttribute('src');
  previewURL = '';
  // The page policy allows data: images but not blob: URLs.
  if (/^image\//.test(file.type) && file.size <= 25 * 1048576) {
    const reader = new FileReader();
    reader.onload = () => {
      if (chosenFile !== file) return;
      previewURL = String(reader.result);
      img.src = previewURL;
    };
    reader.readAsDataURL(file);
  }
}

input.addEventListener('change', () => choose(input.files && input.files[0]));
for (const ev of ['dragenter', 'dragover']) {
  dropzone.addEventListener(ev, (e) => { e.preventDefault(); dropzone.classList.add('dragging'); });
}
for (const ev of ['dragleave', 'dragend', 'drop']) {
  dropzone.addEventListener(ev, () => dropzone.classList.remove('dragging'));
}
dropzone.addEventListener('drop', (e) => {
  e.preventDefault();
  const file = e.dataTransfer && e.dataTransfer.files && e.dataTransfer.files[0];
  if (file) choose(file);
});
$('#category').addEventListener('change', () => setFieldError(form, 'category', ''));

const UPLOAD_TITLES = {
  unsupported_media_type: 'This file type is not supported',
  payload_too_large: 'This photo is too large',
  image_too_large: 'This photo is too large',
  invalid_image: 'This photo could not be read',
  validation_failed: 'Please check the form',
  not_verified: 'Verification needed',
  busy: 'Facet is busy',
  network: 'Connection problem',
};
const IMAGE_ERRORS = Object.fromEntries(['unsupported_media_type', 'invalid_image', 'image_too_large', 'payload_too_large']
  .map((code) => [code, 'image']));

function checkUpload(f) {
  const problems = [];
  if (!chosenFile) problems.push(['image', 'Choose a photo of the design.']);
  if (!f.elements.category.value) problems.push(['category', 'Choose a category: it decides which pieces we compare with.']);
  const maxText = f.elements.maxPrice.value.trim();
  if (maxText && !parseDollars(maxText)) problems.push(['maxPrice', 'Enter an amount in dollars, such as 250 or 249.99.']);
  return problems;
}

async function upload(f) {
  const category = f.elements.category.value;
  const maxText = f.elements.maxPrice.value.trim().replace(/,/g, '');
  const fd = new FormData();
  fd.append('image', chosenFile, chosenFile.name);
  fd.append('category', category);
  if (maxText) fd.append('maxPrice', maxText);
  const res = await api.upload('/api/searches', fd);
  history.pushState({ id: res.id }, '', `/search.html?id=${encodeURIComponent(res.id)}`);
  params.set('id', res.id);
  openSearch(res.id, {
    id: res.id, status: 'running', stage: 'received', category, image: previewURL || '',
    maxPrice: maxText ? { amount: parseDollars(maxText), currency: 'USD' } : null,
    attributes: {}, exactMatch: null, alternatives: [], notes: [], createdAt: new Date().toISOString(),
  }, { fresh: true });
}

function bindUpload() {
  bindForm(form, {
    alert: $('#upload-alert'),
    check: checkUpload,
    submit: upload,
    codes: IMAGE_ERRORS,
    titles: UPLOAD_TITLES,
  });
}

window.addEventListener('popstate', () => location.reload());

// ---------------------------------------------------------------- search view

let state = null;          // the newest Search snapshot
const details = new Map(); // stage → the sentence its latest event carried
let lastEventAt = 0;
let pollTimer = null;
let following = null;   // the search topic followed live

function stageStates(search) {
  const at = STAGE_INDEX[search.stage] ?? 0;
  const finished = search.status === 'done';
  return STAGES.map(([key], i) => {
    const detail = details.get(key) || '';
    if (/^skipped\b/i.test(detail)) return 'skipped';
    if (finished || i < at) return 'done';
    if (i === at) return search.status === 'failed' ? 'failed' : 'current';
    return 'pending';
  });
}

function renderStages(search) {
  const states = stageStates(search);
  $('#stage-list').replaceChildren(...STAGES.map(([key, label], i) => {
    const st = states[i];
    const mark = st === 'done' ? icon('check') : st === 'skipped' ? h('span', { text: '–' })
      : st === 'failed' ? icon('x') : st === 'current' ? h('span', { class: 'stage-spin' }) : h('span', { class: 'stage-dot' });
    let detail = details.get(key) || '';
    if (st === 'skipped') detail = detail.replace(/^skipped:\s*/i, '').replace(/^./, (c) => c.toUpperCase());
    if (detail.toLowerCase() === label.toLowerCase()) detail = '';
    return h('li', { class: `stage stage-${st}`, dataset: { stage: key, state: st } },
      h('span', { class: 'stage-mark', 'aria-hidden': 'true' }, mark),
      h('span', { class: 'stage-text' },
        h('span', { class: 'stage-label', text: label }),
        detail ? h('span', { class: 'stage-detail', text: detail }) : null,
        h('span', { class: 'visually-hidden', text: ` (${st})` })),
    );
  }));
  const title = search.status === 'done' ? 'Analysis complete'
    : search.status === 'failed' ? 'The analysis stopped' : 'Analyzing your design…';
  $('#analysis-title').textContent = title;
  $('#analysis').dataset.status = search.status;
}

function renderAttributes(search) {
  const attrs = search.attributes || {};
  const keys = ATTRS.filter((k) => attrs[k]);
  $('#attr-empty').hidden = keys.length > 0;
  if (!keys.length && search.status !== 'running') $('#attr-empty').textContent = 'No attributes could be read from this photo.';
  $('#attr-list').replaceChildren(...keys.map((key) => {
    const g = attrs[key];
    const unknown = !g.value || g.value === 'unknown';
    const pct = Math.round(Math.max(0, Math.min(1, Number(g.confidence) || 0)) * 100);
    const note = key === 'metal' && g.value === 'white' && g.note ? ` — ${g.note}` : '';
    return h('li', { class: unknown ? 'attr attr-unknown' : 'attr', dataset: { attr: key } },
      h('span', { class: 'attr-name', text: ATTRIBUTE_LABEL[key] || key }),
      h('span', { class: 'attr-value', title: g.method === 'colour' ? 'Measured from colour' : 'Judged from similar pieces' },
        attributeValueText(key, g), note ? h('span', { class: 'attr-note', text: note }) : null,
        g.note && !note ? h('span', { class: 'attr-note', text: ` — ${g.note}` }) : null),
      h('span', { class: 'bar', role: 'img', 'aria-label': `confidence ${pct}%` }, h('span', { class: 'bar-fill', dataset: { pct } })),
      h('span', { class: 'attr-pct', text: `${pct}%` }),
    );
  }));
  // Widths are set through the CSSOM: the page policy forbids inline style attributes in markup.
  for (const fill of $('#attr-list').querySelectorAll('.bar-fill')) fill.style.width = `${fill.dataset.pct}%`;
}

function exactCard(offer, searchId) {
  const href = offerHref(offer, searchId);
  const stockLine = [];
  if (Number.isInteger(offer.availableQuantity)) stockLine.push(`${offer.availableQuantity} available`);
  if (offer.stockAsOf) stockLine.push(`${offer.stockLive ? 'checked live' : 'as of'} ${relativeTime(offer.stockAsOf)}`);
  const tiers = (offer.priceTiers || []).filter((t) => t.unitPrice);
  return h('article', { class: 'exact-card', id: 'exact-card', dataset: { offerId: offer.id, source: offer.source } },
    h('a', { class: 'exact-media', href },
      h('img', { src: offer.images?.[0] || '', alt: offer.title, width: 480, height: 480 })),
    h('div', { class: 'exact-body' },
      h('div', { class: 'exact-badges' },
        h('span', { class: 'exact-flag' }, icon('gem'), h('span', { text: 'Exact match' })),
        availabilityBadge(offer),
        h('span', { class: 'sim-inline', text: similarityText(offer) }),
      ),
      h('h3', { class: 'exact-title' }, h('a', { href, text: offer.title })),
      h('p', { class: 'exact-price' }, h('b', { text: offerPriceText(offer) }), h('span', { text: ` per ${plural(1, offer.moqUnit)}` })),
      h('dl', { class: 'facts facts-grid' },
        h('dt', { text: 'Available' }), h('dd', { text: stockLine.join(' · ') || '—' }),
        h('dt', { text: 'Delivery' }), h('dd', { text: `${daysText(offer.deliveryDays)} after order` }),
        h('dt', { text: 'Minimum order' }), h('dd', { text: moqText(offer) }),
        tiers.length ? h('dt', { text: 'Volume pricing' }) : null,
        tiers.length ? h('dd', { text: tiers.map((t) => `${t.minQuantity}+ ${formatMoney(t.unitPrice.amount, t.unitPrice.currency)}`).join(' · ') } ) : null,
      ),
      matchChips(offer.matches),
      h('div', { class: 'exact-actions' },
        h('a', { class: 'btn btn-primary btn-small', href }, h('span', { text: 'View details' }), icon('arrow'))),
    ),
  );
}

// ---- filters over the alternatives, all client-side
const filters = $('#filters');
function filterValues() {
  const f = filters.elements;
  const price = parseDollars(f.price.value);
  const days = /^\d+$/.test(f.days.value.trim()) ? Number(f.days.value.trim()) : null;
  const moq = /^\d+$/.test(f.moq.value.trim()) ? Number(f.moq.value.trim()) : null;
  return { price, days, moq, source: f.source.value };
}
function passes(offer, fv) {
  const min = offerMinPrice(offer);
  if (fv.price !== null && min !== null && min > fv.price) return false;
  if (fv.days !== null && offer.deliveryDays && offer.deliveryDays.min > fv.days) return false;
  if (fv.moq !== null && offer.moq > fv.moq) return false;
  if (fv.source && offer.source !== fv.source) return false;
  return true;
}
filters.addEventListener('input', () => state && renderAlternatives(state));
filters.addEventListener('change', () => state && renderAlternatives(state));
filters.addEventListener('reset', () => setTimeout(() => state && renderAlternatives(state), 0));
filters.addEventListener('submit', (e) => e.preventDefault());

function renderAlternatives(search) {
  const all = Array.isArray(search.alternatives) ? search.alternatives : [];
  const fv = filterValues();
  const shown = all.filter((o) => passes(o, fv));
  const section = $('#alt-section');
  section.hidden = all.length === 0 && search.status === 'running';
  const grid = $('#alt-grid');
  const known = new Map([...grid.children].map((el) => [el.dataset.offerId, el]));
  const cards = shown.map((o) => {
    const old = known.get(o.id);
    const card = offerCard(o, search.id);
    if (!old && search.status === 'running' && known.size) card.classList.add('fresh');
    return card;
  });
  grid.replaceChildren(...cards);
  const inv = all.filter((o) => o.source === 'inventory').length;
  const sourced = all.length - inv;
  const counts = [];
  if (inv) counts.push(`${inv} from our inventory`);
  if (sourced) counts.push(`${sourced} sourced to order`);
  let meta = counts.join(' · ');
  if (shown.length !== all.length) meta = `${shown.length} of ${all.length} shown · ${meta}`;
  if (search.status === 'running' && all.length) meta += ' · more may arrive';
  $('#alt-count').textContent = meta;
  $('#alt-empty').hidden = !(all.length > 0 && shown.length === 0);
  if (all.length === 0 && search.status === 'done') {
    $('#alt-empty').hidden = false;
    $('#alt-empty').firstElementChild.textContent = 'No alternatives were found for this design.';
  }
}

function renderExact(search) {
  const section = $('#exact-section');
  const slot = $('#exact-slot');
  if (search.exactMatch) {
    section.hidden = false;
    if (slot.firstElementChild?.dataset.offerId !== search.exactMatch.id || search.status === 'done') {
      slot.replaceChildren(exactCard(search.exactMatch, search.id));
    }
  } else if (STAGE_INDEX[search.stage] > STAGE_INDEX.checking_stock || search.status !== 'running') {
    section.hidden = false;
    slot.replaceChildren(h('div', { class: 'no-exact', id: 'no-exact' },
      icon('info'),
      h('p', {}, h('strong', { text: 'No exact match in our inventory. ' }),
        h('span', { text: 'Below are the closest designs we can supply, from stock or sourced to order.' }))));
  } else {
    section.hidden = true;
  }
}

function render(search) {
  state = search;
  if (search.image) $('#query-image').src = search.image;
  $('#query-category').textContent = categoryLabel(search.category);
  $('#query-max').textContent = search.maxPrice ? formatMoney(search.maxPrice.amount, search.maxPrice.currency) : 'No limit';
  $('#query-when').textContent = formatDateTime(search.createdAt);
  renderStages(search);
  renderAttributes(search);
  renderExact(search);
  renderAlternatives(search);
  const notes = Array.isArray(search.notes) ? search.notes : [];
  $('#notes').replaceChildren(...notes.map((n) => h('p', { class: 'note' }, icon('info'), h('span', { text: n }))));
  if (search.status === 'failed') showAlert($('#search-error'), 'error', search.error || 'Something went wrong while analysing this photo. Please try again.', 'The search failed');
  document.body.dataset.searchStatus = search.status;
  document.body.dataset.searchStage = search.stage;
}

function applyEvent(msg) {
  if (msg.event !== 'search.stage' || !msg.data || msg.topic !== `search:${params.get('id')}`) return;
  const data = msg.data;
  lastEventAt = Date.now();
  if (data.stage) details.set(data.stage, data.detail || details.get(data.stage) || '');
  // Replayed history can be older than what the page already shows: never step backwards.
  const current = state ? STAGE_INDEX[state.stage] ?? 0 : -1;
  const incoming = STAGE_INDEX[data.stage] ?? 0;
  const older = state && (state.status !== 'running' || incoming < current);
  if (older) {
    renderStages(state);
    return;
  }
  const next = { ...state, ...data };
  if (!next.image && state && state.image) next.image = state.image;
  render(next);
  if (next.status !== 'running') finish();
}

function finish() {
  if (pollTimer) clearInterval(pollTimer);
  pollTimer = null;
  loadHistory();
}

async function refresh(id) {
  const data = await api.get(`/api/searches/${encodeURIComponent(id)}`);
  const s = data.search || data;
  if (!state || state.status === 'running') render(s);
  if (s.status !== 'running') finish();
  return s;
}

function openSearch(id, initial, { fresh = false } = {}) {
  $('#start-view').classList.add('compact');
  $('#upload-card').hidden = true;
  $('#search-view').hidden = false;
  $('#new-search').hidden = false;
  $('#page-lede').hidden = true;
  $('#page-title').textContent = 'Search results';
  document.title = 'Search results — Facet';
  details.clear();
  state = null;
  if (initial) render(initial);
  window.scrollTo({ top: 0 });

  // since=0 replays every stage, so a reload shows each stage's own sentence again.
  if (following && following !== `search:${id}`) page.realtime.unsubscribe(following);
  following = `search:${id}`;
  page.follow(following, 0);

  // If live updates stall, fall back to asking.
  pollTimer = setInterval(() => {
    if (!state || state.status !== 'running') return finish();
    if (Date.now() - lastEventAt > 2500) refresh(id).catch(() => {});
  }, 2000);
  if (fresh) loadHistory();
}

async function openFromAddress(id) {
  try {
    const search = await api.get(`/api/searches/${encodeURIComponent(id)}`);
    openSearch(id, search.search || search);
  } catch (err) {
    $('#upload-card').hidden = false;
    showAlert($('#upload-alert'), 'error',
      err.status === 404 ? 'That search does not exist or belongs to another account. Start a new one below.' : err.message,
      'Could not open this search');
  }
}

mountPage({
  auth: 'buyer',
  catalog: true,
  async load(p) {
    page = p;
    if (!page.user.verified) {
      showAlert($('#verify-alert'), 'info', 'Confirm your e-mail address to search. The link is in your inbox; you can resend it from your home page.', 'Verification needed');
    }
    page.realtime.on('event', applyEvent);
    page.realtime.on('resync', (topic) => {
      if (topic === following) refresh(params.get('id')).catch(() => {});
    });
    bindUpload();
    try {
      [labels] = await Promise.all([categoryMap(), fillCategorySelect($('#category'))]);
    } catch (err) {
      page.error(err, 'Could not load the categories'); // a search already made can still be shown
    }
    if (params.get('id')) await openFromAddress(params.get('id'));
    loadHistory();
  },
});
