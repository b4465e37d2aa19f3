// zlib, for reading gzip-compressed CSV (pkg-config `zlib`; Debian zlib1g-dev).
#ifndef STEPPE_CZLIB_SHIM_H
#define STEPPE_CZLIB_SHIM_H

#include <zlib.h>

// zlib's inflateInit2 is a macro (it passes the header's version and sizeof(z_stream) to
// inflateInit2_), which Swift cannot call: this function is it. 16 + MAX_WBITS reads a
// gzip member (header, deflate data, CRC-32 and length trailer) with the largest window.
static inline int steppe_inflate_init_gzip(z_stream *stream) {
    return inflateInit2(stream, 16 + MAX_WBITS);
}

#endif
