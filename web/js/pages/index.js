// Landing page: shared chrome, and a shortcut to the dashboard for signed-in visitors.
import { initLayout, homeFor, isStaff } from '../layout.js';

const user = await initLayout({ auth: 'optional' });
if (user) {
  const signup = document.getElementById('cta-signup');
  const signin = document.getElementById('cta-signin');
  if (signup) {
    signup.setAttribute('href', homeFor(user));
    signup.firstChild.textContent = isStaff(user) ? 'Open the admin panel ' : 'Go to your dashboard ';
  }
  if (signin) signin.hidden = true;
}
