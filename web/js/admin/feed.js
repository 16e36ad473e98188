// The operations feed in words: every event on the staff "admin" topic becomes one sentence
// ("Quote Q-000012 sent to the buyer", "aurelia synced 12 items"), with a link to what it is about.
// Ops read this all day, so no event is ever shown as its JSON. Some events need what came before
// to be told well (a brand's sync counts are totals; a message names its quote by id only):
// `memory` keeps that between events, and the page may seed it (rememberBrands, rememberQuote).
import { ORDER_STATUS, QUOTE_STATUS, money } from './quote-format.js';
import { formatDateTime } from '../ui.js';

export function createMemory() {
  return { quotes: new Map(), brands: new Map(), buyers: new Map() };
}

export function rememberBrands(memory, list) {
  for (const b of list || []) if (b && b.brand) memory.brands.set(b.brand, b);
}

export function rememberQuote(memory, quote) {
  if (quote && quote.id && quote.number) memory.quotes.set(quote.id, quote.number);
}

const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const excerpt = (text, max = 90) => {
  const s = String(text || '').replace(/\s+/g, ' ').trim();
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
};
const quoteLink = (id) => (id ? `/admin-quote.html?id=${encodeURIComponent(id)}` : '/admin-quotes.html');
const orderLink = (id) => (id ? `/admin-order.html?id=${encodeURIComponent(id)}` : '/admin-orders.html');

function quoteSentence(data, memory) {
  const q = data.quote || {};
  rememberQuote(memory, q);
  const num = q.number ? `Quote ${q.number}` : 'A quote';
  const buyer = q.buyer?.companyName;
  const who = q.assignee ? (q.assignee.name || q.assignee.email) : null;
  const version = q.currentVersion ? ` (version ${q.currentVersion})` : '';
  const text = {
    submitted: () => [`New quote request ${q.number || ''}`.trim(), buyer ? ` from ${buyer}` : '',
      q.urgency === 'urgent' ? ', urgent' : '', q.lineCount ? `, ${plural(q.lineCount, 'line')}` : ''].join(''),
    assigned: () => (who ? `${num} assigned to ${who}` : `${num} is unassigned again`),
    draft_saved: () => `Draft of ${q.number ? `quote ${q.number}` : 'a quote'} saved`,
    sent: () => `${num} sent to the buyer${version}`,
    changes_requested: () => `The buyer asked for changes to ${q.number ? `quote ${q.number}` : 'a quote'}`,
    accepted: () => `${num} accepted by the buyer${q.total ? ` (${money(q.total)})` : ''}`,
    declined: () => `${num} declined by the buyer`,
    expired: () => `${num} expired`,
    withdrawn: () => `${num} withdrawn by the buyer`,
  }[data.reason];
  return {
    text: text ? text() : `${num} is now ${(QUOTE_STATUS[q.status] || q.status || 'changed').toLowerCase()}`,
    href: quoteLink(q.id),
    tone: data.reason === 'submitted' ? 'new' : data.reason === 'accepted' ? 'good' : '',
  };
}

function messageSentence(data, memory) {
  const m = data.message || {};
  const number = memory.quotes.get(data.quoteId);
  const author = m.authorName || (m.author === 'buyer' ? 'The buyer' : 'Facet sales');
  const files = Array.isArray(m.attachments) && m.attachments.length ? ` (${plural(m.attachments.length, 'attachment')})` : '';
  const body = excerpt(m.body);
  return {
    text: `${author} wrote on ${number ? `quote ${number}` : 'a quote'}${body ? `: “${body}”` : ''}${files}`,
    href: quoteLink(data.quoteId),
    tone: m.author === 'buyer' ? 'new' : '',
  };
}

function orderSentence(data) {
  const o = data.order || {};
  const num = o.number ? `order ${o.number}` : 'an order';
  const Num = num.charAt(0).toUpperCase() + num.slice(1);
  const status = (ORDER_STATUS[o.status] || o.status || '').toLowerCase();
  const text = {
    created: () => `${Num} placed${o.quoteNumber ? ` from quote ${o.quoteNumber}` : ''}${o.total ? ` (${money(o.total)})` : ''}`,
    payment: () => `Payment recorded on ${num}${o.paid && o.total ? `: ${money(o.paid)} of ${money(o.total)} paid` : ''}`,
    status: () => (o.status === 'closed' ? `${Num} closed` : `${Num} moved to ${status}`),
    shipped: () => `${Num} shipped`,
    delivered: () => `${Num} delivered`,
    brand_order: () => `Brands notified of ${num}`,
    purchase_order: () => `Supplier purchase order recorded for ${num}`,
    feedback: () => `The buyer rated ${num}`,
    issue: () => `Issue raised or worked on ${num}`,
  }[data.reason];
  return {
    text: text ? text() : `${Num} is now ${status || 'changed'}`,
    href: orderLink(o.id),
    tone: data.reason === 'issue' ? 'bad' : data.reason === 'created' ? 'good' : '',
  };
}

// A brand's sync counts are running totals: the sentence says what moved since the last push.
// A push that only says "still in sync" (one a minute while the brand syncs) is not news.
function syncSentence(h, memory) {
  const before = memory.brands.get(h.brand);
  memory.brands.set(h.brand, h);
  const brand = h.brand || h.name || 'A brand';
  const href = `/admin-sync.html#brand-${encodeURIComponent(h.brand || '')}`;
  if (!before) {
    if (h.lastError) return { text: `${brand} sync is failing: ${h.lastError}`, href, tone: 'bad' };
    return { text: `${brand} in sync: ${h.activeProducts} of ${plural(h.products, 'product')} active`, href };
  }
  const parts = [];
  let tone = '';
  const items = (h.itemsSynced ?? 0) - (before.itemsSynced ?? 0);
  const hooks = (h.webhooksReceived ?? 0) - (before.webhooksReceived ?? 0);
  if (items > 0) parts.push(`${brand} synced ${plural(items, 'item')}`);
  if (hooks > 0) parts.push(`${parts.length ? 'received' : `${brand} sent`} ${plural(hooks, 'webhook')}`);
  if ((h.errors24h ?? 0) > (before.errors24h ?? 0)) {
    parts.push(`${parts.length ? 'failed' : `${brand} sync failed`}${h.lastError ? `: ${h.lastError}` : ''}`);
    tone = 'bad';
  } else if (!before.healthy && h.healthy) {
    parts.push(`${parts.length ? 'and is' : `${brand} is`} healthy again`);
    tone = 'good';
  }
  if (h.products !== before.products) parts.push(`now ${plural(h.products, 'product')}`);
  return parts.length ? { text: parts.join(', '), href, tone } : null;
}

const CHANGE_WORDS = { created: ['new product', 'new products', 'from'], updated: ['product updated', 'products updated', 'from'],
  discontinued: ['product discontinued', 'products discontinued', 'by'] };

function catalogSentence(data) {
  const changes = Array.isArray(data.changes) ? data.changes : [];
  if (changes.length === 1) {
    const c = changes[0];
    const fields = c.kind === 'updated' && c.fields?.length ? ` (${c.fields.slice(0, 4).join(', ')})` : '';
    const text = c.kind === 'created' ? `New product ${c.sku} from ${c.brand}`
      : c.kind === 'discontinued' ? `${c.sku} discontinued by ${c.brand}` : `${c.sku} updated from ${c.brand}${fields}`;
    return { text, href: `/admin-sync.html?brand=${encodeURIComponent(c.brand)}&q=${encodeURIComponent(c.sku)}#catalog`, tone: c.kind === 'created' ? 'new' : '' };
  }
  const groups = new Map();
  for (const c of changes) {
    const key = `${c.kind}|${c.brand}`;
    groups.set(key, (groups.get(key) || 0) + 1);
  }
  const parts = [...groups].map(([key, n]) => {
    const [kind, brand] = key.split('|');
    const [one, many, prep] = CHANGE_WORDS[kind] || ['product changed', 'products changed', 'from'];
    return `${n} ${n === 1 ? one : many} ${prep} ${brand}`;
  });
  const brands = new Set(changes.map((c) => c.brand));
  return {
    text: parts.length ? parts.join('; ') : `${plural(data.count ?? 0, 'product')} changed`,
    href: brands.size === 1 ? `/admin-sync.html?brand=${encodeURIComponent([...brands][0])}#catalog` : '/admin-sync.html#catalog',
  };
}

function percent(bp) {
  if (!Number.isInteger(bp)) return 'the global markup';
  return `${(bp / 100).toLocaleString(undefined, { maximumFractionDigits: 2 })} %`;
}

function scopeWords(scope) {
  const s = String(scope || 'global');
  if (s === 'global') return 'all inventory';
  if (s === 'marketplace') return 'all marketplace listings';
  const many = (c) => (c === 'other' || c.endsWith('s') ? `${c} pieces` : `${c}s`);
  if (s.startsWith('marketplace:')) return `marketplace ${many(s.slice(12))}`;
  return many(s.replace(/^category:/, ''));
}

function markupSentence(data) {
  const changes = Array.isArray(data.changes) ? data.changes : [];
  const by = changes[0]?.actorEmail ? ` by ${changes[0].actorEmail}` : '';
  const one = (c) => `${scopeWords(c.scope)} ${percent(c.newBasisPoints)}${c.oldBasisPoints !== undefined && c.oldBasisPoints !== null ? ` (was ${percent(c.oldBasisPoints)})` : ''}`;
  if (changes.length === 1) return { text: `Markup for ${one(changes[0])}${by}`, href: '/admin-marketplace.html#markups-card' };
  return { text: `${plural(changes.length, 'markup')} changed${by}: ${changes.slice(0, 3).map(one).join(', ')}${changes.length > 3 ? '…' : ''}`, href: '/admin-marketplace.html#markups-card' };
}

const SOURCE_WORDS = { api: 'open-platform API', web: 'listing pages' };
const ALERT_WORDS = {
  blocked: 'was blocked',
  layoutChanged: 'pages are no longer recognised',
  robotsDisallowed: 'is refused by robots.txt',
  failing: 'is failing',
};

function marketSentence(data) {
  const source = SOURCE_WORDS[data.source] || data.source || 'source';
  const what = ALERT_WORDS[data.kind] || 'raised an alert';
  const until = data.pausedUntil ? `, paused until ${formatDateTime(data.pausedUntil)}` : '';
  return { text: `Marketplace source “${source}” ${what}${until}${data.message ? `: ${data.message}` : ''}`, href: '/admin-marketplace.html', tone: 'bad' };
}

function noticeSentence(data, memory) {
  const topic = String(data.topic || '');
  const to = topic === 'buyers' ? 'all verified buyers'
    : topic.startsWith('buyer:') ? (memory.buyers.get(topic.slice(6)) || 'one buyer') : topic || 'buyers';
  return { text: `Notice “${data.title || 'untitled'}” sent to ${to}${data.by ? ` by ${data.by}` : ''}` };
}

function buyerSentence(data, memory) {
  if (data.id && data.companyName) memory.buyers.set(data.id, data.companyName);
  return {
    text: `${data.companyName || 'A new buyer'}${data.country ? ` (${data.country})` : ''} registered as a buyer`,
    href: data.id ? `/admin-buyer.html?id=${encodeURIComponent(data.id)}` : '/admin-buyers.html',
    tone: 'new',
  };
}

// "search.index.rebuilt" → "Search index rebuilt": an event this page does not know yet still reads.
function unknownSentence(event) {
  const words = String(event || 'activity').replace(/[._-]+/g, ' ').trim();
  return { text: words.charAt(0).toUpperCase() + words.slice(1) };
}

const FORMATTERS = {
  'quote.changed': quoteSentence,
  'quote.message': messageSentence,
  'order.changed': orderSentence,
  'sync.status': syncSentence,
  'catalog.changed': catalogSentence,
  'staff.action': (d) => ({ text: `${d.summary || 'Staff action'}${d.actor ? ` by ${d.actor}` : ''}`, href: staffHref(d) }),
  'notice.sent': noticeSentence,
  'buyer.registered': buyerSentence,
  'markup.changed': markupSentence,
  'marketplace.alert': marketSentence,
};

function staffHref(d) {
  const kind = String(d.kind || '');
  if (kind.startsWith('approval')) return '/admin-approvals.html';
  if (kind === 'policy') return '/admin-sync.html';
  if (kind.startsWith('quote')) return '/admin-quotes.html';
  if (kind.startsWith('order')) return '/admin-orders.html';
  return null;
}

// { text, href?, tone?: 'new' | 'good' | 'bad' } for one event, or null when it is not news.
export function describe(msg, memory = createMemory()) {
  const data = msg && msg.data && typeof msg.data === 'object' ? msg.data : {};
  const format = FORMATTERS[msg?.event];
  try {
    return format ? format(data, memory) : unknownSentence(msg?.event);
  } catch (err) {
    return unknownSentence(msg?.event);
  }
}
