// The quote desk: the queue of buyers' requests, filtered by status and assignee (kept in the
// address so a view can be bookmarked), refreshed live from the staff "admin" topic.
import { api } from '../api.js';
import { withBusy } from '../forms.js';
import { mountPage } from '../page.js';
import { $, h, toast } from '../ui.js';
import { colleagues, staffName } from '../admin/quote-staff.js';
import { queuePath, renderQueue, renderStats } from '../admin/quote-queue.js';

const statusSelect = $('#filter-status');
const assigneeSelect = $('#filter-assignee');
const known = new Set();
let loadedOnce = false;
let page = null;

function filters() {
  return { status: statusSelect.value, assignee: assigneeSelect.value };
}

function readAddress() {
  const q = new URLSearchParams(location.search);
  const set = (select, value) => {
    if (value !== null && [...select.options].some((o) => o.value === value)) select.value = value;
  };
  set(statusSelect, q.get('status'));
  set(assigneeSelect, q.get('assignee'));
}

function writeAddress() {
  const q = new URLSearchParams();
  const f = filters();
  if (f.status) q.set('status', f.status);
  if (f.assignee) q.set('assignee', f.assignee);
  const s = q.toString();
  history.replaceState(null, '', `${location.pathname}${s ? `?${s}` : ''}`);
}

async function load() {
  const data = await api.get(queuePath(filters()));
  const quotes = Array.isArray(data.quotes) ? data.quotes : [];
  // Rows that were not here before flash once, so a request arriving live is noticed.
  const fresh = new Set(loadedOnce ? quotes.map((q) => q.id).filter((id) => !known.has(id)) : []);
  for (const q of quotes) known.add(q.id);
  loadedOnce = true;
  renderQueue($('#queue-table'), quotes, { me: page.user, fresh, onChange: load });
  renderStats($('#queue-stats'), data);
  document.body.dataset.queueCount = String(quotes.length);
}

// Events come in bursts (a claim is one change, a message another): one reload per burst.
let timer = null;
function reloadSoon() {
  clearTimeout(timer);
  timer = setTimeout(() => load().catch((err) => page.error(err, 'Could not refresh the queue')), 250);
}

mountPage({
  auth: 'staff',
  topics: ['admin'],
  async load(p) {
    page = p;
    // Admins can also see any one colleague's queue.
    const staff = (await colleagues(page.user)).filter((s) => s.id !== page.user.id);
    if (staff.length) assigneeSelect.append(h('optgroup', { label: 'A colleague' }, staff.map((s) => h('option', { value: s.id, text: staffName(s) }))));
    readAddress();
    page.realtime.on('event', (msg) => {
      if (msg.event !== 'quote.changed' && msg.event !== 'quote.message') return;
      const q = msg.data?.quote;
      if (msg.event === 'quote.changed' && msg.data?.reason === 'submitted' && q) {
        const what = [q.number, q.buyer?.companyName, q.urgency === 'urgent' ? 'urgent' : null, q.lineCount ? `${q.lineCount} line${q.lineCount === 1 ? '' : 's'}` : null];
        toast('New quote request', what.filter(Boolean).join(' · '),
          { link: { href: `/admin-quote.html?id=${encodeURIComponent(q.id)}`, text: 'Open it' } });
      }
      reloadSoon();
    });
    page.realtime.on('resync', reloadSoon);
    for (const select of [statusSelect, assigneeSelect]) {
      select.addEventListener('change', () => {
        writeAddress();
        load().catch((err) => page.error(err, 'Could not load the queue'));
      });
    }
    $('#queue-refresh').addEventListener('click', (ev) => withBusy(ev.currentTarget, load));
    await load();
  },
});
