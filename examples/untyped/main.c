/*
 * The seL4 tutorial "untyped", completed (seed documents 002 and 003): list the untyped
 * memory BootInfo describes, carve a child untyped out of one, create a TCB, an endpoint and
 * a notification in it, then revoke it and fill it with endpoints.
 */
#include <stdio.h>
#include <sel4/sel4.h>
#include <sel4platsupport/bootinfo.h>
#include <utils/util.h>

int main(int argc, char *argv[])
{
    (void)argc, (void)argv;
    /* parse the location of the seL4_BootInfo data structure from the environment */
    seL4_BootInfo *info = platsupport_get_bootinfo();

    printf("    CSlot   \tPaddr           \tSize\tType\n");
    for (seL4_CPtr slot = info->untyped.start; slot != info->untyped.end; slot++) {
        seL4_UntypedDesc *desc = &info->untypedList[slot - info->untyped.start];
        printf("%8p\t%16p\t2^%d\t%s\n", (void *)slot, (void *)desc->paddr, desc->sizeBits,
               desc->isDevice ? "device untyped" : "untyped");
    }

    seL4_Error error;

    /* list of general seL4 objects and their sizes */
    seL4_Word objects[] = { seL4_TCBObject, seL4_EndpointObject, seL4_NotificationObject };
    seL4_Word sizes[] = { seL4_TCBBits, seL4_EndpointBits, seL4_NotificationBits };

    /* the TCB is the biggest object; the endpoint and notification fit in a second TCB's
     * worth of memory, so two TCBs' worth holds all three */
    seL4_Word untyped_size_bits = seL4_TCBBits + 1;
    seL4_CPtr parent_untyped = 0;
    seL4_CPtr child_untyped = info->empty.start;

    /* First, find an untyped big enough to fit all of our objects */
    for (seL4_Word i = 0; i < info->untyped.end - info->untyped.start; i++) {
        if (info->untypedList[i].sizeBits >= untyped_size_bits && !info->untypedList[i].isDevice) {
            parent_untyped = info->untyped.start + i;
            break;
        }
    }

    /* create an untyped big enough to retype all of the above objects from */
    error = seL4_Untyped_Retype(parent_untyped, seL4_UntypedObject, untyped_size_bits, seL4_CapInitThreadCNode,
                                0, 0, child_untyped, 1);
    ZF_LOGF_IF(error != seL4_NoError, "Failed to retype");

    /* use the slot after child_untyped for the new TCB cap */
    seL4_CPtr child_tcb = child_untyped + 1;
    error = seL4_Untyped_Retype(child_untyped, objects[0], sizes[0], seL4_CapInitThreadCNode, 0, 0, child_tcb, 1);
    ZF_LOGF_IF(error != seL4_NoError, "Failed to create child_tcb");
    ZF_LOGF_IF(seL4_DebugCapIdentify(child_tcb) != 12, "child_tcb is not a TCB cap");
    /* (The tutorial also calls seL4_TCB_SetPriority(child_tcb, seL4_CapInitThreadTCB, 10) here
     * and seL4_TCB_BindNotification(child_tcb, child_ntfn) below; Cairn's TCB invocations
     * are not implemented yet, so this version checks the caps' types instead.) */

    /* use the slot after child_tcb for the new endpoint cap */
    seL4_CPtr child_ep = child_tcb + 1;
    error = seL4_Untyped_Retype(child_untyped, objects[1], sizes[1], seL4_CapInitThreadCNode, 0, 0, child_ep, 1);
    ZF_LOGF_IF(error != seL4_NoError, "Failed to create child_ep");

    /* identify the type of child_ep */
    uint32_t cap_id = seL4_DebugCapIdentify(child_ep);
    ZF_LOGF_IF(cap_id == 0, "Endpoint cap is null cap");
    ZF_LOGF_IF(cap_id != 4, "child_ep is not an endpoint cap");

    /* use the slot after child_ep for the new notification cap */
    seL4_CPtr child_ntfn = child_ep + 1;
    error = seL4_Untyped_Retype(child_untyped, objects[2], sizes[2], seL4_CapInitThreadCNode, 0, 0, child_ntfn, 1);
    ZF_LOGF_IF(error != seL4_NoError, "Failed to create child_ntfn");
    ZF_LOGF_IF(seL4_DebugCapIdentify(child_ntfn) != 6, "child_ntfn is not a notification cap");

    /* the child untyped is full now: delete everything retyped from it */
    error = seL4_CNode_Revoke(seL4_CapInitThreadCNode, child_untyped, seL4_WordBits);
    ZF_LOGF_IF(error != seL4_NoError, "Failed to delete all objects.");

    /* and fill it with endpoints: 2^untyped_size_bits / 2^seL4_EndpointBits of them */
    seL4_Word num_eps = BIT(untyped_size_bits - seL4_EndpointBits);
    error = seL4_Untyped_Retype(child_untyped, seL4_EndpointObject, 0, seL4_CapInitThreadCNode, 0, 0, child_tcb,
                                num_eps);
    ZF_LOGF_IF(error != seL4_NoError, "Failed to create endpoints.");

    printf("Success\n");
    return 0;
}
