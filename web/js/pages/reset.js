// Password reset: without ?token= it asks for an e-mail; with a token it sets the new password.
import { api } from '../api.js';
import { bindForm, isEmail, passwordProblems, wirePasswordRules, wirePasswordToggles } from '../forms.js';
import { mountPage } from '../page.js';
import { $, showAlert } from '../ui.js';

function askForLink() {
  $('#request-section').hidden = false;
  const box = $('#request-alert');
  bindForm($('#request-form'), {
    alert: box,
    check: (f) => (isEmail(f.elements.email.value.trim()) ? [] : [['email', 'Enter a valid e-mail address.']]),
    async submit(f) {
      const email = f.elements.email.value.trim();
      await api.post('/api/auth/password-reset', { email });
      box.setAttribute('role', 'status');
      showAlert(box, 'success', `If an account exists for ${email}, a reset link is on its way. It is valid for one hour.`, 'Check your inbox');
      f.reset();
    },
  });
}

function chooseNewPassword(token) {
  const section = $('#confirm-section');
  section.hidden = false;
  const form = $('#confirm-form');
  const box = $('#confirm-alert');
  wirePasswordRules($('#new-password'), $('#password-rules'));
  wirePasswordToggles(form);
  bindForm(form, {
    alert: box,
    codes: { weak_password: 'password' },
    check(f) {
      const problems = passwordProblems(f.elements.password.value);
      if (problems.length) return [['password', `Your password needs ${problems.join(', ')}.`]];
      if (f.elements.password.value !== f.elements.confirm.value) return [['confirm', 'The two passwords do not match.']];
      return [];
    },
    async submit(f) {
      await api.post('/api/auth/password-reset/confirm', { token, password: f.elements.password.value });
      history.replaceState(null, '', '/reset.html');
      section.hidden = true;
      const done = $('#confirm-done');
      done.hidden = false;
      done.focus();
    },
    onError(err) {
      if (err.code === 'invalid_token') {
        showAlert(box, 'error', 'This reset link is invalid, has already been used or has expired. Request a new one below.', 'This link is not valid');
      }
    },
  });
}

mountPage({
  auth: 'optional',
  load() {
    const token = new URLSearchParams(location.search).get('token');
    if (token) chooseNewPassword(token);
    else askForLink();
  },
});
