// Profile: view and edit the business details (PATCH /api/me) and change the password.
import { api } from '../api.js';
import { fillCategoryChecks } from '../categories.js';
import { bindForm, clearFieldErrors, passwordProblems, wirePasswordRules, withBusy } from '../forms.js';
import { mountPage } from '../page.js';
import { $, $$, h, showAlert, clearAlert, formatDate, BUSINESS_TYPES } from '../ui.js';

const TEXT_FIELDS = ['companyName', 'contactName', 'phone', 'country'];
const SELECT_FIELDS = ['businessType', 'typicalOrderVolume'];
const form = $('#profile-form');
const alertBox = $('#profile-alert');

function render(u) {
  $('#fact-email').textContent = u.email;
  $('#fact-license').textContent = u.businessLicense || '—';
  $('#fact-since').textContent = formatDate(u.createdAt) || '—';
  $('#account-tags').replaceChildren(
    h('li', { class: 'tag tag-role', text: u.role === 'buyer' ? (BUSINESS_TYPES[u.businessType] || 'Buyer') : u.role }),
    h('li', { class: u.verified ? 'tag tag-ok' : 'tag tag-warn', text: u.verified ? 'Verified' : 'Not verified' }),
  );
  $('#verify-banner').hidden = !!u.verified;
  for (const k of TEXT_FIELDS) form.elements[k].value = u[k] || '';
  for (const k of SELECT_FIELDS) if (u[k]) form.elements[k].value = u[k];
  renderCategories(u);
}

function renderCategories(u) {
  const cats = new Set(u.preferredCategories || []);
  for (const box of $$('input[name="preferredCategories"]', form)) box.checked = cats.has(box.value);
}

// Only what differs from the saved profile is sent.
function changesFrom(user) {
  const changes = {};
  for (const k of TEXT_FIELDS) {
    const v = form.elements[k].value.trim();
    if (v !== (user[k] || '')) changes[k] = v;
  }
  for (const k of SELECT_FIELDS) {
    const v = form.elements[k].value;
    if (v && v !== user[k]) changes[k] = v;
  }
  const boxes = $$('input[name="preferredCategories"]', form); // none until the categories have loaded
  const cats = boxes.filter((el) => el.checked).map((el) => el.value).sort();
  if (boxes.length && cats.join(',') !== [...(user.preferredCategories || [])].sort().join(',')) changes.preferredCategories = cats;
  return changes;
}

function bindDetails(page) {
  bindForm(form, {
    alert: alertBox,
    check: () => ['companyName', 'contactName']
      .filter((k) => !form.elements[k].value.trim())
      .map((k) => [k, 'This field cannot be empty.']),
    async submit() {
      const changes = changesFrom(page.user);
      if (!Object.keys(changes).length) {
        showAlert(alertBox, 'info', 'Nothing has changed.');
        return;
      }
      const data = await api.patch('/api/me', changes);
      page.refreshHeader(data.user || { ...page.user, ...changes }); // the company name is in the header
      render(page.user);
      showAlert(alertBox, 'success', 'Your profile has been updated.');
    },
  });
  $('#profile-revert').addEventListener('click', () => {
    clearFieldErrors(form);
    clearAlert(alertBox);
    render(page.user);
  });
  $('#banner-resend').addEventListener('click', (ev) => withBusy(ev.currentTarget, async () => {
    await api.post('/api/auth/resend-verification', { email: page.user.email });
    showAlert(alertBox, 'success', `A new verification link is on its way to ${page.user.email}.`);
  }));
}

function bindPassword() {
  const pwForm = $('#password-form');
  const pwAlert = $('#password-alert');
  wirePasswordRules($('#newPassword'), $('#password-rules'));
  bindForm(pwForm, {
    alert: pwAlert,
    codes: { invalid_credentials: 'currentPassword', weak_password: 'newPassword' },
    titles: { invalid_credentials: 'Password not changed' },
    check(f) {
      const { currentPassword, newPassword, confirmPassword } = f.elements;
      if (!currentPassword.value) return [['currentPassword', 'Enter your current password.']];
      const problems = passwordProblems(newPassword.value);
      if (problems.length) return [['newPassword', `Your new password needs ${problems.join(', ')}.`]];
      if (newPassword.value !== confirmPassword.value) return [['confirmPassword', 'The two passwords do not match.']];
      return [];
    },
    async submit(f) {
      await api.post('/api/me/password', { currentPassword: f.elements.currentPassword.value, newPassword: f.elements.newPassword.value });
      f.reset();
      showAlert(pwAlert, 'success', 'Your password has been changed.');
    },
  });
}

mountPage({
  auth: 'required',
  async load(page) {
    render(page.user);
    bindDetails(page);
    bindPassword();
    await fillCategoryChecks($('#categories'), 'preferredCategories');
    renderCategories(page.user);
  },
});
