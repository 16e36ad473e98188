// Small fetch wrapper for the Facet REST API.
// Every error the server sends has the shape {"error":{"code":"…","message":"…"}};
// callers get an ApiError carrying status, code and a human message.

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
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

export async function request(method, path, body) {
  const init = {
    method,
    credentials: 'same-origin',
    headers: { Accept: 'application/json' },
  };
  if (body !== undefined) {
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
    const code = (e && typeof e.code === 'string' && e.code) || `http_${response.status}`;
    const message = (e && typeof e.message === 'string' && e.message) || fallbackMessage(response.status);
    throw new ApiError(response.status, code, message);
  }
  return data ?? {};
}

export const api = {
  get: (path) => request('GET', path),
  post: (path, body = {}) => request('POST', path, body),
  patch: (path, body = {}) => request('PATCH', path, body),
  del: (path) => request('DELETE', path),
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
