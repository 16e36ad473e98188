// The quote queue: one row per request with what staff sort their day by (due time, urgency,
// whose move it is, repeat buyers) and the claim buttons. The server orders the rows: open ones
// oldest due first, then the rest newest first.
import { api } from '../api.js';
import { withBusy } from '../forms.js';
import { table } from '../table.js';
import { h, toast } from '../ui.js';
import { dueCell, isFinalQuote, money, repeatTag, statusTag, thumb, urgencyTag } from './quote-format.js';

export function queuePath({ status, assignee }) {
  const q = new URLSearchParams();
  if (status) q.set('status', status);
  if (assignee) q.set('assignee', assignee);
  const s = q.toString();
  return `/api/admin/quotes${s ? `?${s}` : ''}`;
}

export async function assign(quoteId, staffId) {
  return api.post(`/api/admin/quotes/${encodeURIComponent(quoteId)}/assign`, { staffId });
}

function assigneeCell(q, me, onChange) {
  const mine = q.assignee && q.assignee.id === me.id;
  const who = q.assignee ? h('span', { class: mine ? 'assignee assignee-me' : 'assignee', text: mine ? 'You' : (q.assignee.name || q.assignee.email) })
    : h('span', { class: 'assignee assignee-none', text: 'Unassigned' });
  if (isFinalQuote(q.status)) return who;
  const button = (label, staffId, action) => h('button', {
    type: 'button', class: 'btn btn-ghost btn-small btn-in-cell', dataset: { action, id: q.id }, text: label,
    onclick: (ev) => withBusy(ev.currentTarget, async () => {
      try {
        await assign(q.id, staffId);
        await onChange();
      } catch (err) {
        toast('Could not change the assignee', err.message, { kind: 'error' });
      }
    }),
  });
  return [who, mine ? button('Unassign', null, 'unassign') : button('Assign to me', me.id, 'assign-me')];
}

export function renderQueue(container, quotes, { me, fresh = new Set(), onChange }) {
  const link = (q) => `/admin-quote.html?id=${encodeURIComponent(q.id)}`;
  container.replaceChildren(table({
    class: 'queue-table',
    caption: 'Quote requests',
    columns: [
      {
        label: 'Request',
        cell: (q) => [
          h('a', { href: link(q), class: 'queue-number', text: q.number || q.id }),
          h('span', { class: 'queue-tags' }, urgencyTag(q.urgency), repeatTag(q.repeat),
            q.unread ? h('span', { class: 'tag tag-unread', title: 'Unread messages', text: `${q.unread} unread` }) : null),
        ],
      },
      { label: 'Buyer', cell: (q) => [h('strong', { text: q.buyer?.companyName || '—' }), h('span', { class: 'sub', text: `${q.lineCount ?? 0} line${q.lineCount === 1 ? '' : 's'}` })] },
      { label: 'Designs', class: 'hide-sm', cell: (q) => h('span', { class: 'st-thumbs' }, (q.images || []).slice(0, 4).map((src) => thumb(src))) },
      { label: 'Status', cell: (q) => [statusTag(q.status), q.awaiting ? h('span', { class: 'sub', text: q.awaiting === 'staff' ? 'our move' : 'buyer’s move' }) : null] },
      { label: 'Due', cell: (q) => dueCell(q, { open: q.awaiting === 'staff' }) },
      { label: 'Total', class: 'hide-sm nowrap', cell: (q) => (q.total ? [money(q.total), h('span', { class: 'sub', text: `v${q.currentVersion}` })] : '—') },
      { label: 'Assignee', cell: (q) => assigneeCell(q, me, onChange) },
    ],
    rows: quotes,
    rowAttrs: (q) => ({
      class: [q.overdue ? 'row-overdue' : '', fresh.has(q.id) ? 'fresh' : ''].filter(Boolean).join(' ') || null,
      dataset: { id: q.id, status: q.status, overdue: q.overdue ? 'true' : 'false' },
    }),
    empty: 'No quote requests match these filters.',
  }));
}

export function renderStats(container, data) {
  const quotes = data.quotes || [];
  const open = quotes.filter((q) => q.awaiting === 'staff').length;
  container.replaceChildren(...[[open, 'awaiting us', ''], [data.overdue ?? 0, 'overdue', data.overdue ? 'stat-bad' : ''], [data.unread ?? 0, 'unread messages', '']]
    .map(([n, what, cls]) => h('div', { class: `stat ${cls}`.trim() }, h('b', { text: String(n) }), h('span', { text: what }))));
}
