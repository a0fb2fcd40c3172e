/* Untyped memory: Retype (capabilities issue). */
#include "invocation.h"

exception_t decode_untyped_invocation(struct invocation *inv)
{
    (void)inv;
    user_error("Untyped invocations are not implemented in Cairn yet.");
    return seL4_IllegalOperation;
}
