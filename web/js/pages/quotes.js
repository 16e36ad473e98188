// Every quote of the buyer, newest first: number, status, whose move it is, when Facet answers or
// until when the price holds, the current version's total and the unread messages. Live over
// buyer:<id> (quote.changed, quote.message): the list is fetched again.
import { api } from '../api.js';
import { setNavCount } from '../layout.js';
import { mountPage } from '../page.js';
import { $, h, relativeTime, formatDateTime } from '../ui.js';
import { onQuotesChanged } from '../workspace.js';
import { awaitingTag, dueLine, money, quoteHref, statusTag, thumbs, changed, put } from '../quotes/labels.js';

const OPEN = ['submitted', 'in_review', 'quoted', 'changes_requested'];
let quotes = [];
let tab = 'open';

function row(q) {
  const due = dueLine(q);
  const unread = Number(q.unread) || 0;
  const designs = `${q.lineCount} ${q.lineCount === 1 ? 'design' : 'designs'}`;
  return h('li', { class: `q-row${unread ? ' has-unread' : ''}`, dataset: { quoteId: q.id, status: q.status } },
    h('a', { href: quoteHref(q.id), class: 'q-row-link' },
      h('span', { class: 'q-row-media' }, thumbs(q.images, { size: 44 })),
      h('span', { class: 'q-row-main' },
        h('span', { class: 'q-row-head' },
          h('strong', { class: 'q-number', text: q.number }),
          statusTag(q.status),
          awaitingTag(q),
          q.urgency === 'urgent' ? h('span', { class: 'tag tag-warn', text: 'Urgent' }) : null,
          q.repeat ? h('span', { class: 'tag', text: 'Repeat order' }) : null),
        h('span', { class: 'q-row-sub' },
          h('span', { text: designs }),
          q.currentVersion ? h('span', { text: `Version ${q.currentVersion}` }) : null,
          due ? h('span', { class: `q-due q-due-${due.kind}`, title: formatDateTime(due.at), text: due.text }) : null,
          h('span', { class: 'muted', title: formatDateTime(q.updatedAt), text: `Updated ${relativeTime(q.updatedAt)}` }))),
      h('span', { class: 'q-row-side' },
        h('b', { class: 'q-total', text: q.total ? money(q.total) : 'Not priced yet' }),
        unread ? h('span', { class: 'q-unread', text: `${unread} new ${unread === 1 ? 'message' : 'messages'}` }) : null,
        q.orderId ? h('span', { class: 'hint', text: 'Ordered' }) : null)));
}

function render() {
  const open = quotes.filter((q) => OPEN.includes(q.status));
  const shown = tab === 'open' ? open : quotes;
  $('#count-open').textContent = open.length ? `(${open.length})` : '';
  $('#count-all').textContent = quotes.length ? `(${quotes.length})` : '';
  if (changed($('#quote-list'), [tab, shown])) put($('#quote-list'), ...shown.map(row));
  $('#quotes-empty').hidden = shown.length > 0;
  $('#quotes-empty-text').textContent = quotes.length
    ? 'No open quotes. Your earlier quotes are under “All”.'
    : 'No quotes yet. Gather designs in your cart, then request a quote for them.';
  document.body.dataset.quotes = String(quotes.length);
}

async function load() {
  const data = await api.get('/api/quotes');
  quotes = Array.isArray(data.quotes) ? data.quotes : [];
  setNavCount('quotes', Number.isInteger(data.unread) ? data.unread : 0);
  $('#quotes-loading').hidden = true;
  render();
}

function selectTab(name) {
  tab = name;
  for (const t of ['open', 'all']) {
    const b = $(`#tab-${t}`);
    b.setAttribute('aria-selected', String(t === name));
    b.tabIndex = t === name ? 0 : -1;
  }
  history.replaceState(null, '', name === 'all' ? '/quotes.html?tab=all' : '/quotes.html');
  render();
}

mountPage({
  auth: 'buyer',
  async load(page) {
    $('#tab-open').addEventListener('click', () => selectTab('open'));
    $('#tab-all').addEventListener('click', () => selectTab('all'));
    tab = new URLSearchParams(location.search).get('tab') === 'all' ? 'all' : 'open';
    selectTab(tab);
    let timer = null;
    onQuotesChanged((msg) => {
      if (msg.event === 'order.changed') return;
      clearTimeout(timer);
      timer = setTimeout(() => load().catch((err) => page.error(err, 'Could not refresh your quotes')), 150);
    });
    await load();
    // An account with only closed quotes opens on all of them.
    if (tab === 'open' && quotes.length && !quotes.some((q) => OPEN.includes(q.status)) && !location.search) selectTab('all');
  },
});
