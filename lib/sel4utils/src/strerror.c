/* Names of the seL4 error codes. */
#include <stdio.h>
#include <sel4/sel4.h>
#include <sel4utils/strerror.h>

char *sel4_errlist[] = {
    [seL4_NoError] = "seL4_NoError",
    [seL4_InvalidArgument] = "seL4_InvalidArgument",
    [seL4_InvalidCapability] = "seL4_InvalidCapability",
    [seL4_IllegalOperation] = "seL4_IllegalOperation",
    [seL4_RangeError] = "seL4_RangeError",
    [seL4_AlignmentError] = "seL4_AlignmentError",
    [seL4_FailedLookup] = "seL4_FailedLookup",
    [seL4_TruncatedMessage] = "seL4_TruncatedMessage",
    [seL4_DeleteFirst] = "seL4_DeleteFirst",
    [seL4_RevokeFirst] = "seL4_RevokeFirst",
    [seL4_NotEnoughMemory] = "seL4_NotEnoughMemory",
};

const char *sel4_strerror(int errcode)
{
    if (errcode < 0 || errcode >= (int)(sizeof(sel4_errlist) / sizeof(sel4_errlist[0])) ||
        sel4_errlist[errcode] == NULL) {
        return "unknown error";
    }
    return sel4_errlist[errcode];
}

void __sel4_error(int err, const char *file, const char *func, int line, char *msg)
{
    printf("seL4 error %s in %s (%s:%d): %s\n", sel4_strerror(err), func, file, line, msg ? msg : "");
}
