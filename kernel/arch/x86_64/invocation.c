/* x86 object invocations: dispatch by cap type. */
#include "invocation.h"
#include "printk.h"
#include "vspace.h"

exception_t decode_io_port_control(struct invocation *inv);
exception_t decode_io_port(struct invocation *inv);

bool arch_cap_type_invocable(enum cap_type t)
{
    return t == cap_io_port_control || t == cap_io_port || mmu_cap_type_invocable(t);
}

exception_t decode_arch_invocation(struct invocation *inv)
{
    switch (cap_get_type(inv->cap)) {
    case cap_io_port_control:
        return decode_io_port_control(inv);
    case cap_io_port:
        return decode_io_port(inv);
    default:
        if (mmu_cap_type_invocable(cap_get_type(inv->cap)))
            return decode_mmu_invocation(inv);
        return seL4_IllegalOperation;
    }
}
