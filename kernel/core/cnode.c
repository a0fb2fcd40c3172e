/* CNode invocations (capabilities issue). */
#include "invocation.h"

exception_t decode_cnode_invocation(struct invocation *inv)
{
    (void)inv;
    user_error("CNode invocations are not implemented in Cairn yet.");
    return seL4_IllegalOperation;
}
