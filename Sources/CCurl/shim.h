#ifndef FACET_CCURL_SHIM_H
#define FACET_CCURL_SHIM_H
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

/* curl_easy_setopt is variadic, which Swift cannot call; these wrappers give it
 * fixed signatures for the option types Facet uses. */
static inline CURLcode facet_curl_set_string(CURL *h, CURLoption o, const char *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode facet_curl_set_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode facet_curl_set_pointer(CURL *h, CURLoption o, void *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode facet_curl_set_slist(CURL *h, CURLoption o, struct curl_slist *v) { return curl_easy_setopt(h, o, v); }

struct facet_curl_upload { const char *data; size_t length; size_t offset; };

static inline size_t facet_curl_read_upload(char *buffer, size_t size, size_t nitems, void *userdata) {
    struct facet_curl_upload *u = (struct facet_curl_upload *)userdata;
    size_t room = size * nitems, left = u->length - u->offset;
    size_t n = left < room ? left : room;
    memcpy(buffer, u->data + u->offset, n);
    u->offset += n;
    return n;
}

/* Sends one message over SMTP(S). Returns CURLE_OK or the failure, with text in errbuf
 * (at least CURL_ERROR_SIZE bytes). */
static inline CURLcode facet_smtp_send(const char *url, const char *from, const char *to,
                                       const char *message, size_t length, long timeout_seconds,
                                       char *errbuf) {
    CURL *h = curl_easy_init();
    if (!h) return CURLE_FAILED_INIT;
    struct facet_curl_upload upload = { message, length, 0 };
    struct curl_slist *rcpt = curl_slist_append(NULL, to);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_MAIL_FROM, from);
    curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(h, CURLOPT_READFUNCTION, facet_curl_read_upload);
    curl_easy_setopt(h, CURLOPT_READDATA, &upload);
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, timeout_seconds);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    errbuf[0] = 0;
    CURLcode rc = curl_easy_perform(h);
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(h);
    return rc;
}
/* A growable byte buffer filled by libcurl's write or header callback. `limit` caps it
 * (0: no cap); going over makes the callback fail so the transfer stops. */
struct facet_curl_buffer { char *data; size_t length; size_t capacity; size_t limit; int overflow; };

static inline size_t facet_curl_append(char *ptr, size_t size, size_t nmemb, void *userdata) {
    struct facet_curl_buffer *b = (struct facet_curl_buffer *)userdata;
    size_t n = size * nmemb;
    if (b->limit && b->length + n > b->limit) { b->overflow = 1; return 0; }
    if (b->length + n + 1 > b->capacity) {
        size_t cap = b->capacity ? b->capacity : 4096;
        while (cap < b->length + n + 1) cap *= 2;
        char *grown = (char *)realloc(b->data, cap);
        if (!grown) return 0;
        b->data = grown;
        b->capacity = cap;
    }
    memcpy(b->data + b->length, ptr, n);
    b->length += n;
    b->data[b->length] = 0;
    return n;
}

static inline void facet_curl_buffer_free(struct facet_curl_buffer *b) {
    free(b->data);
    b->data = NULL;
    b->length = b->capacity = 0;
}

static inline CURLcode facet_curl_set_body_sink(CURL *h, struct facet_curl_buffer *b) {
    CURLcode rc = curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, facet_curl_append);
    return rc ? rc : curl_easy_setopt(h, CURLOPT_WRITEDATA, (void *)b);
}

static inline CURLcode facet_curl_set_header_sink(CURL *h, struct facet_curl_buffer *b) {
    CURLcode rc = curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, facet_curl_append);
    return rc ? rc : curl_easy_setopt(h, CURLOPT_HEADERDATA, (void *)b);
}

/* Copies the request body, so the caller's bytes need not outlive the call. */
static inline CURLcode facet_curl_set_body(CURL *h, const char *data, long length) {
    CURLcode rc = curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, length);
    return rc ? rc : curl_easy_setopt(h, CURLOPT_COPYPOSTFIELDS, data);
}

static inline long facet_curl_status(CURL *h) {
    long code = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    return code;
}
#endif
