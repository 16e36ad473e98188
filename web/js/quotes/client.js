// A POST that may be sent twice but must act once: the Idempotency-Key header (docs/quotes.md).
// api.js sends no custom headers, so this is its twin for that one case, with the same errors.
import { ApiError } from '../api.js';

export function newIdempotencyKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  // Outside a secure context randomUUID is missing; 16 random bytes are as good a key.
  const b = crypto.getRandomValues(new Uint8Array(16));
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
}

// { status, data }: the status tells a first answer (201) from a replay (200).
export async function postOnce(path, body, key) {
  let response;
  try {
    response = await fetch(path, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { Accept: 'application/json', 'Content-Type': 'application/json', 'Idempotency-Key': key },
      body: JSON.stringify(body),
    });
  } catch (err) {
    throw new ApiError(0, 'network', 'We could not reach Facet. Check your connection and try again.');
  }
  let data = null;
  try {
    data = JSON.parse(await response.text());
  } catch (err) {
    data = null;
  }
  if (!response.ok) {
    const e = data && typeof data === 'object' ? data.error || {} : {};
    throw new ApiError(response.status, e.code || `http_${response.status}`,
      e.message || (response.status >= 500 ? 'Something went wrong on our side. Please try again shortly.' : `Request failed (HTTP ${response.status}).`),
      e.field || null);
  }
  return { status: response.status, data: data || {} };
}
