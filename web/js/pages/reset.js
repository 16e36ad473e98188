// Password reset: without ?token= it asks for an e-mail; with a token it sets the new password.
import { api } from '../api.js';
import { initLayout } from '../layout.js';
import {
  $, showAlert, clearAlert, showFormError, setFieldError, clearFieldErrors, withBusy,
  passwordProblems, wirePasswordRules, wirePasswordToggles, isEmail,
} from '../ui.js';

const token = new URLSearchParams(location.search).get('token');
initLayout({ auth: 'optional' });

if (!token) {
  const section = $('#request-section');
  section.hidden = false;
  const form = $('#request-form');
  const box = $('#request-alert');
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearFieldErrors(form);
    clearAlert(box);
    const email = form.elements.email.value.trim();
    if (!isEmail(email)) {
      setFieldError(form, 'email', 'Enter a valid e-mail address.');
      form.elements.email.focus();
      return;
    }
    await withBusy($('#request-submit'), async () => {
      try {
        await api.post('/api/auth/password-reset', { email });
        box.setAttribute('role', 'status');
        showAlert(box, 'success', `If an account exists for ${email}, a reset link is on its way. It is valid for one hour.`,
          'Check your inbox');
        form.reset();
      } catch (err) {
        showFormError(form, box, err);
      }
    });
  });
} else {
  const section = $('#confirm-section');
  section.hidden = false;
  const form = $('#confirm-form');
  const box = $('#confirm-alert');
  wirePasswordRules($('#new-password'), $('#password-rules'));
  wirePasswordToggles(form);

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearFieldErrors(form);
    clearAlert(box);
    const password = form.elements.password.value;
    const confirm = form.elements.confirm.value;
    const problems = passwordProblems(password);
    if (problems.length) {
      setFieldError(form, 'password', `Your password needs ${problems.join(', ')}.`);
      form.elements.password.focus();
      return;
    }
    if (password !== confirm) {
      setFieldError(form, 'confirm', 'The two passwords do not match.');
      form.elements.confirm.focus();
      return;
    }
    await withBusy($('#confirm-submit'), async () => {
      try {
        await api.post('/api/auth/password-reset/confirm', { token, password });
      } catch (err) {
        if (err.code === 'invalid_token') {
          showAlert(box, 'error', 'This reset link is invalid, has already been used or has expired. Request a new one below.',
            'This link is not valid');
        } else {
          showFormError(form, box, err, err.code === 'weak_password' ? 'password' : undefined);
        }
        return;
      }
      history.replaceState(null, '', '/reset.html');
      section.hidden = true;
      const done = $('#confirm-done');
      done.hidden = false;
      done.focus();
    });
  });
}
