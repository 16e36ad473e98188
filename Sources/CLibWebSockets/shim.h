#ifndef FACET_CLIBWEBSOCKETS_SHIM_H
#define FACET_CLIBWEBSOCKETS_SHIM_H
#include <libwebsockets.h>

/* Swift cannot see function-like macros or enum constants defined through
 * macros reliably, so the few we need are re-exported as plain values. */
static const int facet_lws_pre = LWS_PRE;

#endif
