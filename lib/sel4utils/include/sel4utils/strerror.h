/* Names of seL4 error codes (libsel4utils' strerror.h). */
#pragma once

/* Report a failed seL4 call (e != seL4_NoError) with where it happened. */
#define sel4_error(e, str) \
    ((e) == seL4_NoError ? (void)0 : __sel4_error((e), __FILE__, __func__, __LINE__, (str)))

void __sel4_error(int err, const char *file, const char *func, int line, char *msg);

/* "seL4_InvalidArgument" for seL4_InvalidArgument, ...; a fixed text for unknown codes. */
const char *sel4_strerror(int errcode);
extern char *sel4_errlist[];
