/* errno.c - the errno variable and strerror's message table. */
#include "names.h"

#include <errno.h>
#include <string.h>

int errno;

/* Same wording as glibc, so messages look familiar. */
static const char *const messages[] = {
    [0] = "Success",
    [EPERM] = "Operation not permitted",
    [ENOENT] = "No such file or directory",
    [EINTR] = "Interrupted system call",
    [EIO] = "Input/output error",
    [E2BIG] = "Argument list too long",
    [EBADF] = "Bad file descriptor",
    [EAGAIN] = "Resource temporarily unavailable",
    [ENOMEM] = "Cannot allocate memory",
    [EACCES] = "Permission denied",
    [EFAULT] = "Bad address",
    [EBUSY] = "Device or resource busy",
    [EEXIST] = "File exists",
    [ENODEV] = "No such device",
    [EINVAL] = "Invalid argument",
    [ENOSPC] = "No space left on device",
    [EDOM] = "Numerical argument out of domain",
    [ERANGE] = "Numerical result out of range",
    [ENOSYS] = "Function not implemented",
    [EOVERFLOW] = "Value too large for defined data type",
    [ENOTSUP] = "Operation not supported",
};

char *strerror(int errnum)
{
    if (errnum >= 0 && (unsigned)errnum < sizeof messages / sizeof messages[0]
        && messages[errnum])
        return (char *)messages[errnum];
    return (char *)"Unknown error";
}
