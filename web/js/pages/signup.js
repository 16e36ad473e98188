// Registration form: hints on the page first, then the server's verdict beside the field it names.
import { api } from '../api.js';
import { fillCategoryChecks } from '../categories.js';
import { bindForm, isEmail, passwordProblems, wirePasswordRules, wirePasswordToggles, withBusy } from '../forms.js';
import { homeFor } from '../layout.js';
import { mountPage } from '../page.js';
import { $, $$, h, showAlert } from '../ui.js';

const COUNTRIES = [
  'Australia', 'Belgium', 'Brazil', 'Canada', 'China', 'France', 'Germany', 'Hong Kong', 'India',
  'Israel', 'Italy', 'Japan', 'Mexico', 'Netherlands', 'Singapore', 'South Africa', 'Spain',
  'Switzerland', 'Thailand', 'Turkey', 'United Arab Emirates', 'United Kingdom', 'United States',
];

const REQUIRED = {
  companyName: 'Enter your company name.',
  businessLicense: 'Enter your business licence or registration number.',
  country: 'Enter your country.',
  businessType: 'Choose your business type.',
  typicalOrderVolume: 'Choose your typical order volume.',
  contactName: 'Enter the name of a contact person.',
  phone: 'Enter a phone number.',
  email: 'Enter your work e-mail.',
};

function collect(form) {
  const data = Object.fromEntries(Object.keys(REQUIRED).map((k) => [k, form.elements[k].value.trim()]));
  data.password = form.elements.password.value; // passwords are not trimmed
  data.preferredCategories = $$('input[name="preferredCategories"]:checked', form).map((el) => el.value);
  return data;
}

function check(form) {
  const data = collect(form);
  const problems = Object.entries(REQUIRED).filter(([key]) => !data[key]);
  if (data.email && !isEmail(data.email)) problems.push(['email', 'Enter a valid e-mail address, like name@company.com.']);
  const pw = passwordProblems(data.password);
  if (pw.length) problems.push(['password', `Your password needs ${pw.join(', ')}.`]);
  if (data.preferredCategories.length === 0) problems.push(['preferredCategories', 'Pick at least one category.']);
  return problems;
}

function showDone(email) {
  $('#done-email').textContent = email;
  $('#signup-section').hidden = true;
  const done = $('#signup-done');
  done.hidden = false;
  done.focus();
  window.scrollTo(0, 0);
  $('#resend-button').addEventListener('click', (ev) => withBusy(ev.currentTarget, async () => {
    try {
      await api.post('/api/auth/resend-verification', { email });
      showAlert($('#resend-alert'), 'success', `A new verification link is on its way to ${email}.`);
    } catch (err) {
      showAlert($('#resend-alert'), 'error', err.message);
    }
  }));
}

mountPage({
  auth: 'optional',
  async load({ user }) {
    const form = $('#signup-form');
    const alertBox = $('#form-alert');
    $('#country-list').append(...COUNTRIES.map((c) => h('option', { value: c })));
    wirePasswordRules($('#password'), $('#password-rules'));
    wirePasswordToggles(form);
    if (user) {
      showAlert(alertBox, 'info', `You are signed in as ${user.email}. Sign out first to register another business.`);
      alertBox.lastChild.append(' ', h('a', { href: homeFor(user), text: 'Go to your dashboard' }));
    }
    bindForm(form, {
      alert: alertBox,
      check,
      codes: { email_taken: 'email', weak_password: 'password' },
      async submit(f) {
        const data = collect(f);
        await api.post('/api/auth/register', data);
        showDone(data.email);
      },
      onError(err) {
        if (err.code !== 'email_taken') return;
        alertBox.lastChild.append(' ', h('a', { href: '/signin.html', text: 'Sign in instead' }), ' or ',
          h('a', { href: '/reset.html', text: 'reset your password' }), '.');
      },
    });
    await fillCategoryChecks($('#categories'), 'preferredCategories');
  },
});
