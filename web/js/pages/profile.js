// Profile: view and edit the business details (PATCH /api/me) and change the password.
import { api } from '../api.js';
import { initLayout } from '../layout.js';
import {
  $, $$, h, showAlert, clearAlert, showFormError, setFieldError, clearFieldErrors, withBusy,
  passwordProblems, wirePasswordRules, formatDate, BUSINESS_TYPES,
} from '../ui.js';

let user = await initLayout({ auth: 'required' });

const form = $('#profile-form');
const alertBox = $('#profile-alert');
const TEXT_FIELDS = ['companyName', 'contactName', 'phone', 'country'];
const SELECT_FIELDS = ['businessType', 'typicalOrderVolume'];

function render(u) {
  $('#fact-email').textContent = u.email;
  $('#fact-license').textContent = u.businessLicense || '—';
  $('#fact-since').textContent = formatDate(u.createdAt) || '—';
  const tags = $('#account-tags');
  tags.replaceChildren(
    h('li', { class: 'tag tag-role', text: u.role === 'buyer' ? (BUSINESS_TYPES[u.businessType] || 'Buyer') : u.role }),
    h('li', { class: u.verified ? 'tag tag-ok' : 'tag tag-warn', text: u.verified ? 'Verified' : 'Not verified' }),
  );
  $('#verify-banner').hidden = !!u.verified;

  for (const k of TEXT_FIELDS) form.elements[k].value = u[k] || '';
  for (const k of SELECT_FIELDS) if (u[k]) form.elements[k].value = u[k];
  const cats = new Set(u.preferredCategories || []);
  for (const box of $$('input[name="preferredCategories"]', form)) box.checked = cats.has(box.value);
}

render(user);

function collectChanges() {
  const changes = {};
  for (const k of TEXT_FIELDS) {
    const v = form.elements[k].value.trim();
    if (v !== (user[k] || '')) changes[k] = v;
  }
  for (const k of SELECT_FIELDS) {
    const v = form.elements[k].value;
    if (v && v !== user[k]) changes[k] = v;
  }
  const cats = $$('input[name="preferredCategories"]:checked', form).map((el) => el.value);
  const before = [...(user.preferredCategories || [])].sort().join(',');
  if (cats.slice().sort().join(',') !== before) changes.preferredCategories = cats;
  return changes;
}

form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  clearFieldErrors(form);
  clearAlert(alertBox);
  const changes = collectChanges();
  for (const k of ['companyName', 'contactName']) {
    if (k in changes && !changes[k]) {
      setFieldError(form, k, 'This field cannot be empty.');
      form.elements[k].focus();
      return;
    }
  }
  if (Object.keys(changes).length === 0) {
    showAlert(alertBox, 'info', 'Nothing has changed.');
    return;
  }
  await withBusy($('#profile-submit'), async () => {
    try {
      const data = await api.patch('/api/me', changes);
      user = data.user || { ...user, ...changes };
      render(user);
      showAlert(alertBox, 'success', 'Your profile has been updated.');
      initLayout({ auth: 'required' }); // company name in the header may have changed
    } catch (err) {
      showFormError(form, alertBox, err);
    }
  });
});

$('#profile-revert').addEventListener('click', () => {
  clearFieldErrors(form);
  clearAlert(alertBox);
  render(user);
});

$('#banner-resend').addEventListener('click', async (ev) => {
  await withBusy(ev.currentTarget, async () => {
    try {
      await api.post('/api/auth/resend-verification', { email: user.email });
      showAlert(alertBox, 'success', `A new verification link is on its way to ${user.email}.`);
    } catch (err) {
      showAlert(alertBox, 'error', err.message);
    }
  });
});

// ---- password ----
const pwForm = $('#password-form');
const pwAlert = $('#password-alert');
wirePasswordRules($('#newPassword'), $('#password-rules'));

pwForm.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  clearFieldErrors(pwForm);
  clearAlert(pwAlert);
  const currentPassword = pwForm.elements.currentPassword.value;
  const newPassword = pwForm.elements.newPassword.value;
  const confirm = pwForm.elements.confirmPassword.value;
  if (!currentPassword) {
    setFieldError(pwForm, 'currentPassword', 'Enter your current password.');
    pwForm.elements.currentPassword.focus();
    return;
  }
  const problems = passwordProblems(newPassword);
  if (problems.length) {
    setFieldError(pwForm, 'newPassword', `Your new password needs ${problems.join(', ')}.`);
    pwForm.elements.newPassword.focus();
    return;
  }
  if (newPassword !== confirm) {
    setFieldError(pwForm, 'confirmPassword', 'The two passwords do not match.');
    pwForm.elements.confirmPassword.focus();
    return;
  }
  await withBusy($('#password-submit'), async () => {
    try {
      await api.post('/api/me/password', { currentPassword, newPassword });
      pwForm.reset();
      $$('#password-rules li').forEach((li) => li.classList.remove('ok'));
      showAlert(pwAlert, 'success', 'Your password has been changed.');
    } catch (err) {
      const field = err.code === 'invalid_credentials' ? 'currentPassword'
        : err.code === 'weak_password' ? 'newPassword' : undefined;
      showFormError(pwForm, pwAlert, err, field, err.code === 'invalid_credentials' ? 'Password not changed' : undefined);
    }
  });
});
