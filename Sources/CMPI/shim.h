// MPI (OpenMPI), for the `steppe-mpi` executable only (pkg-config `ompi-c`; Debian libopenmpi-dev).
#ifndef STEPPE_CMPI_SHIM_H
#define STEPPE_CMPI_SHIM_H

#include <mpi.h>

// OpenMPI names its predefined handles with macros that expand to a cast of the address of a
// global (MPI_COMM_WORLD is `(MPI_Comm)&ompi_mpi_comm_world`), and some constants with macros
// of other macros or enumerators of an anonymous enum: Swift imports none of them reliably.
// Each function below is one of them, under its macro's name; the implementation's own values
// are taken at compile time, so the shim holds for any MPI, not only OpenMPI's numbering.

// The communicator of all processes started together (by mpirun or srun).
static inline MPI_Comm steppe_MPI_COMM_WORLD(void) { return MPI_COMM_WORLD; }

// Datatypes: bytes (the payloads) and 64-bit integers (their lengths).
static inline MPI_Datatype steppe_MPI_BYTE(void) { return MPI_BYTE; }
static inline MPI_Datatype steppe_MPI_INT64_T(void) { return MPI_INT64_T; }

// Return codes and thread levels.
static inline int steppe_MPI_SUCCESS(void) { return MPI_SUCCESS; }
static inline int steppe_MPI_THREAD_FUNNELED(void) { return MPI_THREAD_FUNNELED; }

// The error handler that returns error codes to the caller instead of aborting the job
// (the default, MPI_ERRORS_ARE_FATAL), so that a failure becomes Steppe's one-line error.
static inline MPI_Errhandler steppe_MPI_ERRORS_RETURN(void) { return MPI_ERRORS_RETURN; }

// The size of a buffer that holds any text of MPI_Error_string.
static inline int steppe_MPI_MAX_ERROR_STRING(void) { return MPI_MAX_ERROR_STRING; }

#endif
