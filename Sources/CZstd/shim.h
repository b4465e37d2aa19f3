// libzstd, for reading zstd-compressed CSV (pkg-config `libzstd`; Debian libzstd-dev).
#ifndef STEPPE_CZSTD_SHIM_H
#define STEPPE_CZSTD_SHIM_H

#include <zstd.h>

#endif
