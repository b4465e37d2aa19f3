// The only C in Steppe: the CBLAS and LAPACKE interfaces, as Debian's
// libopenblas-dev and liblapacke-dev install them (pkg-config `lapacke`).
#ifndef STEPPE_CLAPACK_SHIM_H
#define STEPPE_CLAPACK_SHIM_H

#include <cblas.h>
#include <lapacke.h>

// OpenBLAS run-time controls. They are declared here as well as in OpenBLAS's
// cblas.h so that the module compiles against any cblas.h alternative; the
// symbols themselves come from libopenblas, which the module links.
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
char *openblas_get_config(void);
char *openblas_get_corename(void);

#endif
