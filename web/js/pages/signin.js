// Sign-in form. Buyers land on their home page, staff on the admin panel.
import { api } from '../api.js';
import { bindForm, isEmail, wirePasswordToggles } from '../forms.js';
import { homeFor } from '../layout.js';
import { mountPage } from '../page.js';
import { $, showAlert, safeNext } from '../ui.js';

mountPage({
  auth: 'optional',
  load({ user }) {
    const form = $('#signin-form');
    const alertBox = $('#form-alert');
    const params = new URLSearchParams(location.search);
    wirePasswordToggles(form);
    if (user) showAlert(alertBox, 'info', `You are already signed in as ${user.email}.`);
    if (params.get('email')) form.elements.email.value = params.get('email');

    bindForm(form, {
      alert: alertBox,
      check(f) {
        const problems = [];
        if (!isEmail(f.elements.email.value.trim())) problems.push(['email', 'Enter the e-mail you registered with.']);
        if (!f.elements.password.value) problems.push(['password', 'Enter your password.']);
        return problems;
      },
      async submit(f) {
        const data = await api.post('/api/auth/login', { email: f.elements.email.value.trim(), password: f.elements.password.value });
        showAlert(alertBox, 'success', 'Signed in. Taking you to your account…');
        location.assign(safeNext(params.get('next'), homeFor(data.user)));
      },
      onError(err) {
        if (err.code !== 'invalid_credentials') return;
        // The summary already says what went wrong; mark the fields without repeating it.
        form.elements.email.setAttribute('aria-invalid', 'true');
        form.elements.password.setAttribute('aria-invalid', 'true');
        form.elements.password.focus();
        form.elements.password.select();
      },
    });
  },
});
