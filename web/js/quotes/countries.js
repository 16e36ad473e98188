// Delivery countries as ISO 3166 codes (what POST /api/quotes takes), named in the buyer's language.
const CODES = [
  'AE', 'AT', 'AU', 'BE', 'BH', 'BR', 'CA', 'CH', 'CN', 'CZ', 'DE', 'DK', 'ES', 'FI', 'FR', 'GB', 'GR', 'HK', 'IE', 'IL',
  'IN', 'IT', 'JP', 'KR', 'KW', 'MX', 'MY', 'NL', 'NO', 'NZ', 'OM', 'PL', 'PT', 'QA', 'SA', 'SE', 'SG', 'TH', 'TR', 'TW',
  'US', 'ZA',
];

let names = null;
function displayNames() {
  if (names === null) {
    try {
      names = new Intl.DisplayNames([navigator.language || 'en', 'en'], { type: 'region' });
    } catch (err) {
      names = false;
    }
  }
  return names;
}

export function countryName(code) {
  const n = displayNames();
  return (n && n.of(code)) || code;
}

// [{ code, name }] sorted by name.
export function countries() {
  return CODES.map((code) => ({ code, name: countryName(code) })).sort((a, b) => a.name.localeCompare(b.name));
}

// The code for what a buyer wrote in their profile ("United Arab Emirates", "UK", "de"), or ''.
export function countryCode(text) {
  const t = String(text || '').trim().toLowerCase();
  if (!t) return '';
  if (/^[a-z]{2}$/.test(t)) return CODES.includes(t.toUpperCase()) ? t.toUpperCase() : '';
  const aliases = { uk: 'GB', 'great britain': 'GB', england: 'GB', usa: 'US', 'united states of america': 'US', uae: 'AE' };
  if (aliases[t]) return aliases[t];
  const english = (() => { try { return new Intl.DisplayNames(['en'], { type: 'region' }); } catch (err) { return null; } })();
  return CODES.find((c) => countryName(c).toLowerCase() === t || (english && english.of(c).toLowerCase() === t)) || '';
}
