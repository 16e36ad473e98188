// Landing page: a shortcut to their own home for visitors who are already signed in.
import { homeFor, isStaff } from '../layout.js';
import { mountPage } from '../page.js';

mountPage({
  auth: 'optional',
  load({ user }) {
    if (!user) return;
    const signup = document.getElementById('cta-signup');
    signup.setAttribute('href', homeFor(user));
    signup.firstChild.textContent = isStaff(user) ? 'Open the admin panel ' : 'Go to your dashboard ';
    document.getElementById('cta-signin').hidden = true;
  },
});
