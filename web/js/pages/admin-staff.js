// Staff accounts (admins only): invite a colleague, change a role, disable or re-enable an
// account. Ops may open the page; the server answers them 403 and the page says why. An admin's
// own row has no controls: the server refuses those changes so someone can always undo a mistake.
import { ApiError, api } from '../api.js';
import { bindForm, isEmail, withBusy } from '../forms.js';
import { mountPage } from '../page.js';
import { table } from '../table.js';
import { $, h, showAlert, clearAlert, formatDateShort, toast } from '../ui.js';

const ROLES = { ops: 'Ops', admin: 'Admin' };
const staffAlert = $('#staff-alert');
let me = null;
let staff = [];

async function patch(account, body, done) {
  clearAlert(staffAlert);
  try {
    const data = await api.patch(`/api/admin/staff/${encodeURIComponent(account.id)}`, body);
    staff = staff.map((s) => (s.id === account.id ? { ...s, ...data.staff } : s));
    render();
    toast(done, account.email);
  } catch (err) {
    showAlert(staffAlert, 'error', err.message, 'Could not change this account');
    render();
  }
}

function roleCell(s) {
  if (s.id === me.id) return h('span', { class: 'tag tag-role', text: ROLES[s.role] || s.role });
  const select = h('select', { class: 'role-select', 'aria-label': `Role of ${s.email}`, dataset: { id: s.id } },
    Object.entries(ROLES).map(([value, label]) => h('option', { value, text: label, selected: s.role === value })));
  select.addEventListener('change', () => {
    select.disabled = true;
    patch(s, { role: select.value }, `Now ${ROLES[select.value] || select.value}`);
  });
  return select;
}

function accessCell(s) {
  if (s.id === me.id) return h('span', { class: 'muted', text: 'Your account' });
  const b = h('button', {
    type: 'button', class: `btn btn-ghost btn-small${s.suspended ? '' : ' btn-decline'}`, dataset: { action: s.suspended ? 'enable' : 'disable', id: s.id },
    'aria-label': `${s.suspended ? 'Re-enable' : 'Disable'} ${s.email}`, text: s.suspended ? 'Re-enable' : 'Disable',
  });
  b.addEventListener('click', (ev) => withBusy(ev.currentTarget, () => patch(s, { disabled: !s.suspended }, s.suspended ? 'Account re-enabled' : 'Account disabled')));
  return b;
}

function render() {
  const rows = [...staff].sort((a, b) => Number(!!a.suspended) - Number(!!b.suspended) || a.email.localeCompare(b.email));
  $('#staff-table').replaceChildren(table({
    class: 'staff-table',
    caption: 'Staff accounts',
    columns: [
      { label: 'Name', cell: (s) => [h('strong', { text: s.contactName || '—' }), h('span', { class: 'sub', text: s.email })] },
      { label: 'Role', cell: roleCell },
      { label: 'Status', cell: (s) => (s.suspended ? h('span', { class: 'tag tag-bad', text: 'Disabled' })
        : s.verified ? h('span', { class: 'tag tag-ok', text: 'Active' }) : h('span', { class: 'tag tag-warn', text: 'Invited' })) },
      { label: 'Since', class: 'nowrap hide-sm', cell: (s) => formatDateShort(s.createdAt) },
      { label: 'Access', hideLabel: true, cell: accessCell },
    ],
    rows,
    rowAttrs: (s) => ({ dataset: { id: s.id, email: s.email, role: s.role, disabled: String(!!s.suspended) } }),
    empty: 'No staff accounts.',
  }));
  const admins = staff.filter((s) => s.role === 'admin' && !s.suspended).length;
  $('#staff-count').textContent = `${staff.length} accounts · ${admins} active ${admins === 1 ? 'admin' : 'admins'}`;
}

function adminsOnly(user) {
  $('#my-role').textContent = user?.role || 'ops';
  $('#admins-only').hidden = false;
  $('#staff-view').hidden = true;
  document.body.dataset.adminsOnly = 'true';
}

mountPage({
  auth: 'staff',
  async load(page) {
    me = page.user;
    // The server decides who may manage staff; the page only says what it answered.
    try {
      staff = (await api.get('/api/admin/staff')).staff || [];
    } catch (err) {
      if (err instanceof ApiError && err.status === 403) {
        adminsOnly(me);
        return;
      }
      throw err;
    }
    $('#staff-view').hidden = false;
    render();
    const form = $('#invite-form');
    bindForm(form, {
      alert: $('#invite-alert'),
      check(f) {
        const problems = [];
        if (!isEmail(f.elements.email.value.trim())) problems.push(['email', 'Give their work e-mail address.']);
        if (!f.elements.contactName.value.trim()) problems.push(['contactName', 'Give their name.']);
        return problems;
      },
      async submit(f) {
        const body = { email: f.elements.email.value.trim(), contactName: f.elements.contactName.value.trim(), role: f.elements.role.value };
        const data = await api.post('/api/admin/staff', body);
        if (data.staff) staff = [...staff.filter((s) => s.id !== data.staff.id), data.staff];
        render();
        f.reset();
        showAlert($('#invite-alert'), 'success', `${body.email} can choose a password from the link we e-mailed.`, `Invited as ${ROLES[body.role]}`);
      },
    });
  },
});
