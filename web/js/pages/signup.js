// Registration form: client-side hints, server errors shown next to the form and the field.
import { api } from '../api.js';
import { initLayout, homeFor } from '../layout.js';
import {
  $, $$, h, showAlert, clearAlert, showFormError, setFieldError, clearFieldErrors,
  withBusy, passwordProblems, wirePasswordRules, wirePasswordToggles, isEmail,
} from '../ui.js';

const COUNTRIES = [
  'Australia', 'Belgium', 'Brazil', 'Canada', 'China', 'France', 'Germany', 'Hong Kong', 'India',
  'Israel', 'Italy', 'Japan', 'Mexico', 'Netherlands', 'Singapore', 'South Africa', 'Spain',
  'Switzerland', 'Thailand', 'Turkey', 'United Arab Emirates', 'United Kingdom', 'United States',
];

const form = $('#signup-form');
const alertBox = $('#form-alert');
const datalist = $('#country-list');
for (const c of COUNTRIES) datalist.append(h('option', { value: c }));

wirePasswordRules($('#password'), $('#password-rules'));
wirePasswordToggles(form);

const user = await initLayout({ auth: 'optional' });
if (user) {
  showAlert(alertBox, 'info', `You are signed in as ${user.email}. Sign out first to register another business.`);
  const link = h('a', { href: homeFor(user), text: 'Go to your dashboard' });
  alertBox.lastChild.append(' ', link);
}

function collect() {
  const data = Object.fromEntries(['companyName', 'businessLicense', 'contactName', 'email', 'password',
    'phone', 'country', 'businessType', 'typicalOrderVolume'].map((k) => [k, form.elements[k].value.trim()]));
  data.password = form.elements.password.value; // passwords are not trimmed
  data.preferredCategories = $$('input[name="preferredCategories"]:checked', form).map((el) => el.value);
  return data;
}

function clientCheck(data) {
  const problems = [];
  const labels = {
    companyName: 'Enter your company name.',
    businessLicense: 'Enter your business licence or registration number.',
    country: 'Enter your country.',
    businessType: 'Choose your business type.',
    typicalOrderVolume: 'Choose your typical order volume.',
    contactName: 'Enter the name of a contact person.',
    phone: 'Enter a phone number.',
    email: 'Enter your work e-mail.',
  };
  for (const [key, msg] of Object.entries(labels)) if (!data[key]) problems.push([key, msg]);
  if (data.email && !isEmail(data.email)) problems.push(['email', 'Enter a valid e-mail address, like name@company.com.']);
  const pw = passwordProblems(data.password);
  if (pw.length) problems.push(['password', `Your password needs ${pw.join(', ')}.`]);
  if (data.preferredCategories.length === 0) problems.push(['preferredCategories', 'Pick at least one category.']);
  return problems;
}

form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  clearFieldErrors(form);
  clearAlert(alertBox);
  const data = collect();

  const problems = clientCheck(data);
  if (problems.length) {
    for (const [field, msg] of problems) setFieldError(form, field, msg);
    showAlert(alertBox, 'error', problems.length === 1 ? problems[0][1] : `${problems.length} fields need your attention.`,
      'Please check the form');
    const first = form.elements[problems[0][0]];
    (first instanceof RadioNodeList ? first[0] : first)?.focus();
    return;
  }

  await withBusy($('#signup-submit'), async () => {
    try {
      await api.post('/api/auth/register', data);
    } catch (err) {
      const fieldByCode = { email_taken: 'email', weak_password: 'password' };
      showFormError(form, alertBox, err, fieldByCode[err.code]);
      if (err.code === 'email_taken') {
        alertBox.lastChild.append(' ', h('a', { href: '/signin.html', text: 'Sign in instead' }), ' or ',
          h('a', { href: '/reset.html', text: 'reset your password' }), '.');
      }
      return;
    }
    $('#done-email').textContent = data.email;
    $('#signup-section').hidden = true;
    const done = $('#signup-done');
    done.hidden = false;
    done.dataset.email = data.email;
    done.focus();
    window.scrollTo(0, 0);
  });
});

$('#resend-button').addEventListener('click', async (ev) => {
  const email = $('#signup-done').dataset.email;
  const box = $('#resend-alert');
  await withBusy(ev.currentTarget, async () => {
    try {
      await api.post('/api/auth/resend-verification', { email });
      showAlert(box, 'success', `A new verification link is on its way to ${email}.`);
    } catch (err) {
      showAlert(box, 'error', err.message);
    }
  });
});
