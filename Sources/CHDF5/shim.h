// HDF5, for Steppe's on-disk column store (pkg-config `hdf5`; Debian libhdf5-dev, serial).
#ifndef STEPPE_CHDF5_SHIM_H
#define STEPPE_CHDF5_SHIM_H

#include <hdf5.h>
#include <string.h>

// HDF5 names its predefined types, property-list classes and flags with macros that
// expand to a call (H5OPEN, which initialises the library) and a global, or to a cast:
// Swift imports neither. Each function below is one of them, under its macro's name.

// Memory types (the machine's own).
static inline hid_t steppe_H5T_NATIVE_DOUBLE(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t steppe_H5T_NATIVE_INT8(void) { return H5T_NATIVE_INT8; }
static inline hid_t steppe_H5T_NATIVE_UINT8(void) { return H5T_NATIVE_UINT8; }
static inline hid_t steppe_H5T_NATIVE_INT32(void) { return H5T_NATIVE_INT32; }
static inline hid_t steppe_H5T_NATIVE_INT64(void) { return H5T_NATIVE_INT64; }
// File types: little-endian, whatever the machine, so a store reads the same anywhere.
static inline hid_t steppe_H5T_IEEE_F64LE(void) { return H5T_IEEE_F64LE; }
static inline hid_t steppe_H5T_STD_I8LE(void) { return H5T_STD_I8LE; }
static inline hid_t steppe_H5T_STD_I32LE(void) { return H5T_STD_I32LE; }
static inline hid_t steppe_H5T_STD_I64LE(void) { return H5T_STD_I64LE; }
// C strings, the base of variable-length UTF-8 strings.
static inline hid_t steppe_H5T_C_S1(void) { return H5T_C_S1; }
static inline size_t steppe_H5T_VARIABLE(void) { return H5T_VARIABLE; }

// File access flags.
static inline unsigned steppe_H5F_ACC_RDONLY(void) { return H5F_ACC_RDONLY; }
static inline unsigned steppe_H5F_ACC_RDWR(void) { return H5F_ACC_RDWR; }
static inline unsigned steppe_H5F_ACC_TRUNC(void) { return H5F_ACC_TRUNC; }
static inline unsigned steppe_H5F_ACC_EXCL(void) { return H5F_ACC_EXCL; }

// Default property lists, "the whole dataspace", and property-list classes.
static inline hid_t steppe_H5P_DEFAULT(void) { return H5P_DEFAULT; }
static inline hid_t steppe_H5S_ALL(void) { return H5S_ALL; }
static inline hsize_t steppe_H5S_UNLIMITED(void) { return H5S_UNLIMITED; }
static inline hid_t steppe_H5P_DATASET_CREATE(void) { return H5P_DATASET_CREATE; }
static inline hid_t steppe_H5P_FILE_ACCESS(void) { return H5P_FILE_ACCESS; }

// Initialises the library (what H5OPEN does in every macro above).
static inline herr_t steppe_H5open(void) { return H5open(); }

// Stops HDF5 from printing its error stack on stderr: Steppe reports one line of its own.
static inline herr_t steppe_H5_silence_errors(void) { return H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }

// Frees the strings HDF5 allocated while reading variable-length strings into `buffer`
// (H5Dvlen_reclaim until 1.12, H5Treclaim since).
static inline herr_t steppe_H5_reclaim(hid_t type, hid_t space, void *buffer) {
#if H5_VERSION_GE(1, 12, 0)
    return H5Treclaim(type, space, H5P_DEFAULT, buffer);
#else
    return H5Dvlen_reclaim(type, space, H5P_DEFAULT, buffer);
#endif
}

// The description of the most specific error on HDF5's error stack (as "truncated file: eof
// = 1024, ..." or "file signature not found"), copied into `buffer` of `size` bytes; an empty
// string when the stack is empty. For one-line messages that say what HDF5 found.
typedef struct { char *buffer; size_t size; } steppe_H5_error_text;
static herr_t steppe_H5_first_error(unsigned n, const H5E_error2_t *error, void *data) {
    steppe_H5_error_text *text = (steppe_H5_error_text *)data;
    if (n == 0 && error->desc != NULL && text->size > 0) {
        strncpy(text->buffer, error->desc, text->size - 1);
        text->buffer[text->size - 1] = 0;
    }
    return 0;
}
static inline void steppe_H5_error_message(char *buffer, size_t size) {
    steppe_H5_error_text text = { buffer, size };
    if (size > 0) buffer[0] = 0;
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, steppe_H5_first_error, &text);
}

// "Every kind of object", for H5Fget_obj_count.
static inline unsigned steppe_H5F_OBJ_ALL(void) { return H5F_OBJ_ALL; }

// How many objects (files, groups, datasets, types, spaces, attributes) are open in this
// process: 0 once every handle is closed (a check for leaks).
static inline ssize_t steppe_H5_open_objects(void) { return H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL); }

#endif
