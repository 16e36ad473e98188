// The colleagues a quote can be given to. Only admins may list staff (GET /api/admin/staff);
// for ops the list is empty and the pages offer "Assign to me" and "Unassign" alone.
import { api } from '../api.js';

let cached = null;

export async function colleagues(user) {
  if (!user || user.role !== 'admin') return [];
  if (!cached) {
    cached = api.get('/api/admin/staff')
      .then((data) => (Array.isArray(data.staff) ? data.staff : []).filter((s) => !s.suspended && !s.disabled))
      .catch(() => []);
  }
  return cached;
}

export function staffName(s) {
  return s.contactName || s.name || s.email;
}
