// The upload form: a photo (dropped or chosen, previewed), a category and an optional price
// ceiling, sent as multipart to POST /api/searches.
import { api } from '../api.js';
import { bindForm, setFieldError } from '../forms.js';
import { parseDollars } from '../offers.js';
import { $, clearAlert } from '../ui.js';

const form = $('#search-form');
const input = $('#image-input');
const dropzone = $('#dropzone');
let chosenFile = null;
let previewURL = '';

function sizeText(bytes) {
  if (bytes >= 1048576) return `${(bytes / 1048576).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

function choose(file) {
  chosenFile = file || null;
  setFieldError(form, 'image', '');
  clearAlert($('#upload-alert'));
  if (!file) {
    $('#dropzone-preview').hidden = true;
    $('#dropzone-empty').hidden = false;
    return;
  }
  $('#preview-name').textContent = file.name;
  $('#preview-size').textContent = sizeText(file.size);
  $('#dropzone-empty').hidden = true;
  $('#dropzone-preview').hidden = false;
  dropzone.classList.add('has-file');
  const img = $('#preview-img');
  img.removeAttribute('src');
  previewURL = '';
  // The page policy allows data: images but not blob: URLs.
  if (/^image\//.test(file.type) && file.size <= 25 * 1048576) {
    const reader = new FileReader();
    reader.onload = () => {
      if (chosenFile !== file) return;
      previewURL = String(reader.result);
      img.src = previewURL;
    };
    reader.readAsDataURL(file);
  }
}

input.addEventListener('change', () => choose(input.files && input.files[0]));
for (const ev of ['dragenter', 'dragover']) {
  dropzone.addEventListener(ev, (e) => { e.preventDefault(); dropzone.classList.add('dragging'); });
}
for (const ev of ['dragleave', 'dragend', 'drop']) {
  dropzone.addEventListener(ev, () => dropzone.classList.remove('dragging'));
}
dropzone.addEventListener('drop', (e) => {
  e.preventDefault();
  const file = e.dataTransfer && e.dataTransfer.files && e.dataTransfer.files[0];
  if (file) choose(file);
});
$('#category').addEventListener('change', () => setFieldError(form, 'category', ''));

const UPLOAD_TITLES = {
  unsupported_media_type: 'This file type is not supported',
  payload_too_large: 'This photo is too large',
  image_too_large: 'This photo is too large',
  invalid_image: 'This photo could not be read',
  validation_failed: 'Please check the form',
  not_verified: 'Verification needed',
  busy: 'Facet is busy',
  network: 'Connection problem',
};
const IMAGE_ERRORS = Object.fromEntries(['unsupported_media_type', 'invalid_image', 'image_too_large', 'payload_too_large']
  .map((code) => [code, 'image']));

function checkUpload(f) {
  const problems = [];
  if (!chosenFile) problems.push(['image', 'Choose a photo of the design.']);
  if (!f.elements.category.value) problems.push(['category', 'Choose a category: it decides which pieces we compare with.']);
  const maxText = f.elements.maxPrice.value.trim();
  if (maxText && !parseDollars(maxText)) problems.push(['maxPrice', 'Enter an amount in dollars, such as 250 or 249.99.']);
  return problems;
}

// onStarted(id, search): the search the server accepted, as a first snapshot to show.
async function upload(f, onStarted) {
  const category = f.elements.category.value;
  const maxText = f.elements.maxPrice.value.trim().replace(/,/g, '');
  const fd = new FormData();
  fd.append('image', chosenFile, chosenFile.name);
  fd.append('category', category);
  if (maxText) fd.append('maxPrice', maxText);
  const res = await api.upload('/api/searches', fd);
  onStarted(res.id, {
    id: res.id, status: 'running', stage: 'received', category, image: previewURL || '',
    maxPrice: maxText ? { amount: parseDollars(maxText), currency: 'USD' } : null,
    attributes: {}, exactMatch: null, alternatives: [], notes: [], createdAt: new Date().toISOString(),
  });
}

export function bindUpload(onStarted) {
  bindForm(form, {
    alert: $('#upload-alert'),
    check: checkUpload,
    submit: (f) => upload(f, onStarted),
    codes: IMAGE_ERRORS,
    titles: UPLOAD_TITLES,
  });
}
