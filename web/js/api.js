// Small fetch wrapper for the Facet REST API.
// Every error the server sends has the shape {"error":{"code":"…","message":"…","field"?:"…"}};
// callers get an ApiError carrying status, code, a human message and, for validation
// errors, the JSON name of the field at fault ("companyName", "perCategory.ring").

export class ApiError extends Error {
  constructor(status, code, message, field = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

const FALLBACK_MESSAGES = {
  0: 'We could not reach Facet. Check your connection and try again.',
  400: 'The request could not be understood.',
  401: 'Please sign in to continue.',
  403: 'You do not have access to this.',
  404: 'Not found.',
  413: 'That is too large to send.',
  429: 'Too many attempts. Please wait a few minutes and try again.',
  500: 'Something went wrong on our side. Please try again shortly.',
};

function fallbackMessage(status) {
  if (FALLBACK_MESSAGES[status]) return FALLBACK_MESSAGES[status];
  return status >= 500 ? FALLBACK_MESSAGES[500] : `Request failed (HTTP ${status}).`;
}

// body: undefined (no body), FormData (sent as multipart, the browser writes the boundary) or
// anything else (sent as JSON).
export async function request(method, path, body) {
  const init = {
    method,
    credentials: 'same-origin',
    headers: { Accept: 'application/json' },
  };
  if (body instanceof FormData) {
    init.body = body;
  } else if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }

  let response;
  try {
    response = await fetch(path, init);
  } catch (err) {
    throw new ApiError(0, 'network', fallbackMessage(0));
  }

  let data = null;
  const text = response.status === 204 ? '' : await response.text();
  if (text) {
    try {
      data = JSON.parse(text);
    } catch (err) {
      data = null;
    }
  }

  if (!response.ok) {
    const e = data && typeof data === 'object' ? data.error : null;
    const str = (v) => (typeof v === 'string' && v ? v : null);
    throw new ApiError(response.status, str(e?.code) || `http_${response.status}`,
      str(e?.message) || fallbackMessage(response.status), str(e?.field));
  }
  return data ?? {};
}

export const api = {
  get: (path) => request('GET', path),
  post: (path, body = {}) => request('POST', path, body),
  put: (path, body = {}) => request('PUT', path, body),
  patch: (path, body = {}) => request('PATCH', path, body),
  del: (path) => request('DELETE', path),
  upload: (path, formData, method = 'POST') => request(method, path, formData),
};

// The signed-in user, or null when there is no valid session.
export async function currentUser() {
  try {
    const data = await api.get('/api/me');
    return data.user || null;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}
