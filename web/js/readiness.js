// While the server is still indexing catalog photos, searches can miss pieces: say so, with the
// live figure, until it is done. GET /api/health answers
// "catalog": {"ready", "indexed", "known", "percent"}; a server without that member says nothing.
import { api } from './api.js';

const POLL_MS = 3000;

export function catalogText(catalog) {
  const pct = Number.isInteger(catalog.percent) ? catalog.percent
    : catalog.known > 0 ? Math.floor((catalog.indexed * 100) / catalog.known) : 0;
  return `Catalog still loading (${pct} %)`;
}

// show(catalog | null): called with the catalog figures while it is loading, and with null
// once it is ready (or when the server does not report it).
export function watchCatalog(show) {
  let loading = false;
  async function poll() {
    let catalog;
    try {
      catalog = (await api.get('/api/health')).catalog;
    } catch (err) {
      // Keep asking only while a notice is up; otherwise there is nothing to correct.
      if (loading) setTimeout(poll, POLL_MS);
      return;
    }
    loading = !!catalog && typeof catalog === 'object' && catalog.ready === false;
    show(loading ? catalog : null);
    if (loading) setTimeout(poll, POLL_MS);
  }
  poll();
}
