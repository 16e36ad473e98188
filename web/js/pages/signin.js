// Sign-in form. Buyers land on their home page, staff on the admin panel.
import { api } from '../api.js';
import { initLayout, homeFor } from '../layout.js';
import {
  $, showAlert, clearAlert, showFormError, setFieldError, clearFieldErrors, withBusy,
  wirePasswordToggles, isEmail, safeNext,
} from '../ui.js';

const form = $('#signin-form');
const alertBox = $('#form-alert');
const params = new URLSearchParams(location.search);
wirePasswordToggles(form);

const existing = await initLayout({ auth: 'optional' });
if (existing) {
  showAlert(alertBox, 'info', `You are already signed in as ${existing.email}.`);
}
if (params.get('email')) form.elements.email.value = params.get('email');

form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  clearFieldErrors(form);
  clearAlert(alertBox);
  const email = form.elements.email.value.trim();
  const password = form.elements.password.value;

  let bad = false;
  if (!isEmail(email)) { setFieldError(form, 'email', 'Enter the e-mail you registered with.'); bad = true; }
  if (!password) { setFieldError(form, 'password', 'Enter your password.'); bad = true; }
  if (bad) {
    showAlert(alertBox, 'error', 'Please fill in your e-mail and password.', 'Please check the form');
    form.querySelector('[aria-invalid="true"]')?.focus();
    return;
  }

  await withBusy($('#signin-submit'), async () => {
    let user;
    try {
      const data = await api.post('/api/auth/login', { email, password });
      user = data.user;
    } catch (err) {
      showFormError(form, alertBox, err);
      if (err.code === 'invalid_credentials') {
        // The summary already says what went wrong; mark the fields without repeating it.
        form.elements.email.setAttribute('aria-invalid', 'true');
        form.elements.password.setAttribute('aria-invalid', 'true');
        form.elements.password.focus();
        form.elements.password.select();
      }
      return;
    }
    showAlert(alertBox, 'success', 'Signed in. Taking you to your account…');
    location.assign(safeNext(params.get('next'), homeFor(user)));
  });
});
