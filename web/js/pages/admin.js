// Operations panel: buyers list, send a notice, live feed of the "admin" topic.
import { api, request } from '../api.js';
import { initLayout } from '../layout.js';
import { formatMoney } from '../offers.js';
import { RealtimeClient } from '../realtime.js';
import {
  $, h, toast, showAlert, clearAlert, showFormError, setFieldError, clearFieldErrors, withBusy,
  formatDateShort, formatDateTime, setLivePill, markSubscribed, BUSINESS_TYPES, ORDER_VOLUMES,
} from '../ui.js';

await initLayout({ auth: 'staff' });

// ---- buyers ----
const tbody = $('#buyers-body');
const topicSelect = $('#notice-topic');

function renderBuyers(buyers) {
  tbody.replaceChildren();
  const sorted = [...buyers].sort((a, b) => String(b.createdAt).localeCompare(String(a.createdAt)));
  for (const b of sorted) {
    tbody.append(h('tr', { dataset: { id: b.id } },
      h('td', {}, h('strong', { text: b.companyName || '—' }), h('span', { class: 'sub', text: b.businessLicense || '' })),
      h('td', {}, b.contactName || '—', h('span', { class: 'sub nowrap', text: b.email }), h('span', { class: 'sub', text: b.phone || '' })),
      h('td', { class: 'hide-sm', text: b.country || '—' }),
      h('td', { class: 'hide-sm' }, BUSINESS_TYPES[b.businessType] || b.businessType || '—',
        h('span', { class: 'sub', text: ORDER_VOLUMES[b.typicalOrderVolume] || b.typicalOrderVolume || '' })),
      h('td', {}, h('span', { class: b.verified ? 'tag tag-ok' : 'tag tag-warn', text: b.verified ? 'Verified' : 'Unverified' })),
      h('td', { class: 'hide-sm nowrap', text: formatDateShort(b.createdAt) }),
    ));
  }
  $('#buyers-empty').hidden = buyers.length > 0;

  const verified = buyers.filter((b) => b.verified).length;
  $('#buyer-stats').replaceChildren(
    h('div', { class: 'stat' }, h('b', { text: String(buyers.length) }), h('span', { text: 'registered' })),
    h('div', { class: 'stat' }, h('b', { text: String(verified) }), h('span', { text: 'verified' })),
    h('div', { class: 'stat' }, h('b', { text: String(buyers.length - verified) }), h('span', { text: 'awaiting verification' })),
  );

  const current = topicSelect.value;
  topicSelect.replaceChildren(h('option', { value: 'buyers', text: 'All verified buyers' }));
  const group = h('optgroup', { label: 'A single buyer' });
  for (const b of sorted) {
    group.append(h('option', { value: `buyer:${b.id}`, text: `${b.companyName || b.email} — ${b.email}` }));
  }
  if (sorted.length) topicSelect.append(group);
  if ([...topicSelect.options].some((o) => o.value === current)) topicSelect.value = current;
}

async function loadBuyers() {
  clearAlert($('#buyers-alert'));
  try {
    const data = await api.get('/api/admin/buyers');
    renderBuyers(Array.isArray(data.buyers) ? data.buyers : []);
  } catch (err) {
    showAlert($('#buyers-alert'), 'error', err.message, 'Could not load buyers');
  }
}

$('#buyers-refresh').addEventListener('click', (ev) => withBusy(ev.currentTarget, loadBuyers));

// ---- notices ----
const form = $('#notice-form');
const noticeAlert = $('#notice-alert');
form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  clearFieldErrors(form);
  clearAlert(noticeAlert);
  const topic = form.elements.topic.value;
  const title = form.elements.title.value.trim();
  const body = form.elements.body.value.trim();
  if (!title) { setFieldError(form, 'title', 'Give the notice a title.'); form.elements.title.focus(); return; }
  if (!body) { setFieldError(form, 'body', 'Write a message.'); form.elements.body.focus(); return; }
  await withBusy($('#notice-submit'), async () => {
    try {
      const res = await api.post('/api/admin/notices', { topic, title, body });
      const label = topicSelect.selectedOptions[0]?.textContent || topic;
      showAlert(noticeAlert, 'success', `Sent to ${label} (sequence ${res.seq ?? '?'}).`, 'Notice sent');
      form.elements.title.value = '';
      form.elements.body.value = '';
    } catch (err) {
      showFormError(form, noticeAlert, err);
    }
  });
});

// ---- live feed ----
const feed = $('#feed');
function addFeedItem(msg) {
  const data = msg.data && typeof msg.data === 'object' ? msg.data : {};
  let summary = data.title || data.companyName || data.email || '';
  if (msg.event === 'notice.sent') summary = `“${data.title}” to ${data.topic}${data.by ? ` by ${data.by}` : ''}`;
  if (msg.event === 'buyer.registered') summary = `${data.companyName || 'New buyer'}${data.country ? `, ${data.country}` : ''}`;
  feed.prepend(h('li', {},
    h('div', { class: 'feed-head' },
      h('span', { class: 'feed-event', text: msg.event || 'event' }),
      h('span', { class: 'feed-meta', text: `${msg.topic} #${msg.seq} · ${formatDateTime(msg.at)}` }),
    ),
    summary ? h('div', { text: summary }) : null,
    h('pre', { text: JSON.stringify(data, null, 2) }),
  ));
  while (feed.children.length > 100) feed.lastElementChild.remove();
  $('#feed-empty').hidden = true;
}

const rt = new RealtimeClient({
  onStatus: setLivePill,
  onSubscribed: (msg) => markSubscribed(msg.topic),
  onEvent(msg) {
    addFeedItem(msg);
    onAdminEvent(msg);
    if (/buyer|register|verif/i.test(msg.event || '')) loadBuyers();
  },
  onResync() {
    loadBuyers();
  },
  onError(msg) {
    toast('Live updates', msg.message || msg.code);
  },
});
rt.subscribe('admin');
rt.start();
window.addEventListener('pagehide', () => rt.stop());

loadBuyers();

// ---- markups ----
const MARKUP_CATEGORIES = ['ring', 'necklace', 'earring', 'bracelet', 'pendant', 'bangle', 'other'];
const markupForm = $('#markups-form');
let markups = null;

// Basis points ↔ percent text without floating point: 2750 ↔ "27.5".
function bpToPercent(bp) {
  if (!Number.isInteger(bp)) return '';
  const whole = Math.trunc(bp / 100);
  const frac = String(bp % 100).padStart(2, '0').replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : String(whole);
}
function percentToBp(text) {
  const m = /^(\d{1,4})(?:\.(\d{1,2}))?$/.exec(String(text).trim());
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] || '0').padEnd(2, '0'));
}

function buildMarkupFields() {
  const grid = $('#markup-grid');
  for (const c of MARKUP_CATEGORIES) {
    grid.append(h('div', { class: 'field' },
      h('label', { for: `markup-${c}`, text: c }),
      h('span', { class: 'input-suffix' },
        h('input', { id: `markup-${c}`, name: c, type: 'text', inputmode: 'decimal', autocomplete: 'off' }),
        h('span', { text: '%' })),
      h('p', { class: 'field-error', dataset: { errorFor: c }, 'aria-live': 'polite' })));
  }
}

function renderMarkups(m) {
  markups = m;
  markupForm.elements.global.value = bpToPercent(m.global);
  for (const c of MARKUP_CATEGORIES) {
    const input = markupForm.elements[c];
    const own = m.perCategory ? m.perCategory[c] : undefined;
    input.value = Number.isInteger(own) ? bpToPercent(own) : '';
    input.placeholder = bpToPercent(m.global);
    input.title = 'Empty: the global markup applies';
  }
  $('#markups-rounding').textContent = m.rounding || '';
}

function scopeLabel(scope) {
  if (scope === 'global') return 'Global';
  return String(scope).replace(/^category:/, '').replace(/^./, (x) => x.toUpperCase());
}

async function loadMarkupAudit() {
  try {
    const data = await api.get('/api/admin/markups/audit');
    const changes = Array.isArray(data.changes) ? data.changes : [];
    $('#markup-audit').replaceChildren(...changes.slice(0, 50).map((c) => h('li', { dataset: { scope: c.scope } },
      h('span', {}, h('strong', { text: scopeLabel(c.scope) }), ' ',
        `${c.oldBasisPoints === null ? 'global' : `${bpToPercent(c.oldBasisPoints)}%`} → ${c.newBasisPoints === null ? 'global' : `${bpToPercent(c.newBasisPoints)}%`}`),
      h('span', { class: 'sub', text: formatDateTime(c.at) }),
      h('span', { class: 'sub', text: c.actorEmail || '' }))));
    $('#markup-audit-empty').hidden = changes.length > 0;
  } catch (err) {
    showAlert($('#markups-alert'), 'error', err.message, 'Could not load the change history');
  }
}

async function loadMarkups() {
  try {
    const data = await api.get('/api/admin/markups');
    renderMarkups(data.markups || data);
  } catch (err) {
    showAlert($('#markups-alert'), 'error', err.message, 'Could not load markups');
  }
  await loadMarkupAudit();
}

markupForm.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  clearFieldErrors(markupForm);
  clearAlert($('#markups-alert'));
  if (!markups) return;
  const body = {};
  const g = percentToBp(markupForm.elements.global.value);
  if (g === null) { setFieldError(markupForm, 'global', 'A percentage such as 30 or 27.5.'); return; }
  if (g !== markups.global) body.global = g;
  const per = {};
  for (const c of MARKUP_CATEGORIES) {
    const text = markupForm.elements[c].value.trim();
    const old = markups.perCategory ? markups.perCategory[c] : undefined;
    if (!text) {
      if (Number.isInteger(old)) per[c] = null;
      continue;
    }
    const bp = percentToBp(text);
    if (bp === null) { setFieldError(markupForm, c, 'A percentage.'); return; }
    if (bp !== old) per[c] = bp;
  }
  if (Object.keys(per).length) body.perCategory = per;
  if (!Object.keys(body).length) { showAlert($('#markups-alert'), 'info', 'Nothing changed.'); return; }
  await withBusy($('#markups-save'), async () => {
    try {
      const res = await request('PUT', '/api/admin/markups', body);
      renderMarkups(res.markups);
      const n = Array.isArray(res.changes) ? res.changes.length : 0;
      showAlert($('#markups-alert'), 'success', `${n} change${n === 1 ? '' : 's'} recorded. New searches use these markups.`, 'Markups saved');
      await loadMarkupAudit();
    } catch (err) {
      showFormError(markupForm, $('#markups-alert'), err);
    }
  });
});

// ---- marketplace ----
const SOURCE_NAMES = { api: 'Open-platform API', web: 'Listing pages' };

function renderMarketplace(o) {
  if (!o.configured) {
    $('#market-summary').textContent = 'Marketplace sourcing is not configured on this server.';
    $('#market-sources-body').replaceChildren();
    return;
  }
  const s = o.settings || {};
  $('#market-summary').replaceChildren(
    h('span', {}, 'Known listings ', h('b', { text: String(o.knownListings ?? 0) })),
    h('span', {}, 'Estimated markup ', h('b', { text: `${bpToPercent(s.markupBasisPoints)}%` })),
    h('span', {}, 'Rate ', h('b', { text: `${s.requestsPerSecond}/s` })),
    h('span', {}, 'Cache ', h('b', { text: `${Math.round((s.cacheTTLSeconds || 0) / 60)} min` })),
  );
  $('#market-sources-body').replaceChildren(...(o.sources || []).map((src) => {
    const paused = src.pausedUntil && new Date(src.pausedUntil) > new Date();
    const state = !src.enabled ? h('span', { class: 'tag', text: 'Disabled' })
      : paused ? h('span', { class: 'tag tag-warn', text: `Paused until ${formatDateTime(src.pausedUntil)}` })
        : h('span', { class: 'tag tag-ok', text: 'Active' });
    const resume = h('button', { type: 'button', class: 'btn btn-ghost btn-small', text: 'Resume', dataset: { source: src.name } });
    resume.addEventListener('click', (ev) => withBusy(ev.currentTarget, async () => {
      try {
        renderMarketplace(await api.post(`/api/admin/marketplace/sources/${encodeURIComponent(src.name)}/resume`));
        toast('Marketplace', `${SOURCE_NAMES[src.name] || src.name} resumed.`);
      } catch (err) {
        showAlert($('#market-alert'), 'error', err.message, 'Could not resume');
      }
    }));
    return h('tr', { dataset: { source: src.name } },
      h('td', {}, h('strong', { text: SOURCE_NAMES[src.name] || src.name }), h('span', { class: 'sub', text: src.name })),
      h('td', {}, state, src.lastSuccessAt ? h('span', { class: 'sub', text: `last ok ${formatDateTime(src.lastSuccessAt)}` }) : null),
      h('td', { class: 'nowrap' }, `${src.requests}`, h('span', { class: 'sub', text: `${src.cacheHits} cached · ${src.listingsParsed} parsed · ${src.skipped} skipped` })),
      h('td', { text: src.lastError || '—' }),
      h('td', {}, paused || src.lastError ? resume : null));
  }));
}

async function loadListings() {
  try {
    const data = await api.get('/api/admin/marketplace/listings?limit=6');
    const rows = Array.isArray(data.listings) ? data.listings : [];
    $('#market-listings-body').replaceChildren(...rows.map((l) => h('tr', {},
      h('td', {}, h('span', { text: l.title }), h('span', { class: 'sub', text: `${l.source} · ${l.offerId} · ${l.url}` })),
      h('td', {}, l.supplier?.name || '—', h('span', { class: 'sub', text: [l.supplier?.yearsOnPlatform ? `${l.supplier.yearsOnPlatform} yrs` : '', l.supplier?.rating ? `★ ${l.supplier.rating}` : ''].filter(Boolean).join(' · ') })),
      h('td', { class: 'nowrap', text: l.price ? `${formatMoney(l.price.min, l.price.currency)}–${formatMoney(l.price.max, l.price.currency)}` : '—' }))));
    if (!rows.length) $('#market-listings-body').replaceChildren(h('tr', {}, h('td', { colspan: 3, class: 'sub', text: 'No listings held yet.' })));
  } catch (err) {
    $('#market-listings-body').replaceChildren();
  }
}

async function loadMarketplace() {
  clearAlert($('#market-alert'));
  try {
    const o = await api.get('/api/admin/marketplace');
    renderMarketplace(o);
    if (o.configured) await loadListings();
  } catch (err) {
    showAlert($('#market-alert'), 'error', err.message, 'Could not load marketplace status');
  }
}

function addMarketAlert(data, at) {
  $('#market-alerts').prepend(h('li', {},
    h('strong', { text: `${SOURCE_NAMES[data.source] || data.source || 'Source'}: ${data.kind || 'alert'}` }), ' ',
    data.message || '',
    h('span', { class: 'sub', text: `${formatDateTime(data.at || at)}${data.pausedUntil ? ` · paused until ${formatDateTime(data.pausedUntil)}` : ''}` })));
  $('#market-alerts-empty').hidden = true;
}

$('#market-refresh').addEventListener('click', (ev) => withBusy(ev.currentTarget, loadMarketplace));

export function onAdminEvent(msg) {
  if (msg.event === 'markup.changed') loadMarkups();
  if (msg.event === 'marketplace.alert') {
    addMarketAlert(msg.data || {}, msg.at);
    loadMarketplace();
  }
}

buildMarkupFields();
loadMarkups();
loadMarketplace();
