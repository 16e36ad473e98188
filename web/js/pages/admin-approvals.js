// Approvals: products held for review and marketplace listings proposed for the curated catalog,
// waiting ones first. Approve (with any attribute corrections) or reject with a reason. Live:
// events on the "admin" topic reload the list without touching a card someone is working on.
import { api } from '../api.js';
import { approvalCard, corrections } from '../admin/approval-view.js';
import { setFieldError, withBusy } from '../forms.js';
import { mountPage } from '../page.js';
import { $, h, toast } from '../ui.js';

const statusSelect = $('#filter-status');
const list = $('#approvals');
let page = null;

function path() {
  return `/api/admin/approvals${statusSelect.value ? `?status=${encodeURIComponent(statusSelect.value)}` : ''}`;
}

async function decide(form, action) {
  const card = form.closest('.approval');
  const id = card.dataset.id;
  const reason = form.elements.reason.value.trim();
  setFieldError(form, 'reason', '');
  if (action === 'reject' && !reason) {
    setFieldError(form, 'reason', 'Say why it is rejected; the reason is kept with the decision.');
    form.elements.reason.focus();
    return;
  }
  const button = form.querySelector(`[data-action="${action}"]`);
  await withBusy(button, async () => {
    try {
      const body = action === 'approve'
        ? { corrections: corrections(card), ...(reason ? { reason } : {}) }
        : { reason };
      const { approval } = await api.post(`/api/admin/approvals/${encodeURIComponent(id)}/${action}`, body);
      const next = approvalCard(approval, { onDecide: decide });
      next.dataset.decidedHere = 'true';
      card.replaceWith(next);
      toast(action === 'approve' ? 'Approved' : 'Rejected', `${approval.title || approval.subject}${action === 'approve' && approval.kind === 'brand_product' ? ' is now offered to buyers.' : '.'}`);
      renderStats();
    } catch (err) {
      if (err.field === 'reason') setFieldError(form, 'reason', err.message);
      else toast(action === 'approve' ? 'Could not approve' : 'Could not reject', err.message, { kind: 'error' });
      if (err.code === 'already_decided') load();
    }
  });
}

function renderStats() {
  const cards = [...list.querySelectorAll('.approval')];
  const waiting = cards.filter((c) => c.dataset.status === 'pending').length;
  $('#approval-stats').replaceChildren(h('div', { class: 'stat' }, h('b', { text: String(waiting) }), h('span', { text: 'waiting' })));
  document.body.dataset.pending = String(waiting);
}

// Keeps a card that has not changed (its chosen corrections and typed reason with it), adds new
// ones in the server's order, and drops those no longer listed unless decided on this page.
async function load() {
  const data = await api.get(path());
  const approvals = Array.isArray(data.approvals) ? data.approvals : [];
  const existing = new Map([...list.querySelectorAll('.approval')].map((c) => [c.dataset.id, c]));
  const wanted = approvals.map((a) => {
    const card = existing.get(a.id);
    existing.delete(a.id);
    if (card && card.dataset.status === a.status) return card;
    return approvalCard(a, { onDecide: decide });
  });
  const kept = [...existing.values()].filter((c) => c.dataset.decidedHere === 'true');
  list.replaceChildren(...wanted, ...kept);
  const empty = !list.children.length;
  $('#approvals-empty').hidden = !empty;
  $('#approvals-empty-text').textContent = statusSelect.value === 'pending' ? 'Nothing is waiting for a decision.' : 'No approvals to show.';
  renderStats();
}

let timer = null;
function reloadSoon() {
  clearTimeout(timer);
  timer = setTimeout(() => load().catch((err) => page.error(err, 'Could not refresh approvals')), 300);
}

mountPage({
  auth: 'staff',
  topics: ['admin'],
  async load(p) {
    page = p;
    const wanted = new URLSearchParams(location.search).get('status');
    if (wanted !== null && [...statusSelect.options].some((o) => o.value === wanted)) statusSelect.value = wanted;
    statusSelect.addEventListener('change', () => {
      history.replaceState(null, '', `${location.pathname}?status=${encodeURIComponent(statusSelect.value)}`);
      list.replaceChildren();
      load().catch((err) => page.error(err, 'Could not load approvals'));
    });
    // New products arrive with a brand's sync, listings with carts and quote requests, decisions
    // from colleagues as staff actions: any of them may change this list.
    page.realtime.on('event', (msg) => {
      if (['catalog.changed', 'staff.action', 'quote.changed', 'approval.changed'].includes(msg.event)) reloadSoon();
    });
    page.realtime.on('resync', reloadSoon);
    await load();
  },
});
