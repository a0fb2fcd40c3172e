/*
 * The seL4 "mapping" tutorial, completed, with each of its steps shown as the tutorial's
 * reader sees them:
 *   1. with only a PDPT mapped at TEST_VADDR, mapping the page fails: a page directory
 *      is missing, seL4_MappingFailedLookupLevel() says 30 (SEL4_MAPPING_LOOKUP_NO_PD);
 *   2. with the page directory mapped too, it says 21 (no page table);
 *   3. with the page table mapped, the page maps read-only and reads 0 (frames retyped from
 *      RAM are zeroed); writing to it is a VM fault with status 7 (present, write, user).
 *      The tutorial's root task takes that fault itself and stops; here a second thread
 *      without a fault handler does the write, so the kernel's report shows and we go on;
 *   4. remapped read-write (Page_Map again at the same address: a remap), the write works.
 */
#include <stdio.h>
#include <stdint.h>
#include <sel4/sel4.h>
#include <sel4platsupport/bootinfo.h>
#include <sel4tutorials/alloc.h>
#include <sel4/sel4_arch/mapping.h>
#include <sel4utils/arch/util.h>
#include <utils/util.h>

#define TEST_VADDR 0xA000000000

static seL4_Error map_page(seL4_CPtr frame, seL4_CapRights_t rights)
{
    seL4_Error error = seL4_X86_Page_Map(frame, seL4_CapInitThreadVSpace, TEST_VADDR, rights,
                                         seL4_X86_Default_VMAttributes);
    if (error == seL4_FailedLookup)
        printf("Missing intermediate paging structure at level %lu\n", seL4_MappingFailedLookupLevel());
    return error;
}

/* A thread that writes to the page (step 3). It needs no IPC buffer and no TLS: it only
 * stores to memory (and printf, were it reached, uses seL4_DebugPutChar: registers only). */
static seL4_Word writer_stack[1024] __attribute__((aligned(16)));

static void writer(void)
{
    *(volatile seL4_Word *)TEST_VADDR = 5;
    printf("The write to a read-only page went through?!\n");
}

static void run_writer(seL4_BootInfo *info)
{
    seL4_CPtr tcb = alloc_object(info, seL4_TCBObject, 0);
    seL4_CPtr sc = alloc_object(info, seL4_SchedContextObject, seL4_MinSchedContextBits);
    seL4_Error error = seL4_TCB_Configure(tcb, seL4_CapInitThreadCNode, 0, seL4_CapInitThreadVSpace, 0, 0, 0);
    ZF_LOGF_IF(error, "Failed to configure the writer");
    error = seL4_SchedControl_Configure(info->schedcontrol.start, sc, 5000, 5000, 0, 0);
    ZF_LOGF_IF(error, "Failed to configure its scheduling context");
    error = seL4_TCB_SetSchedParams(tcb, seL4_CapInitThreadTCB, 200, 200, sc, seL4_CapNull);
    ZF_LOGF_IF(error, "Failed to set its scheduling parameters");
    seL4_DebugNameThread(tcb, "writer");
    seL4_UserContext regs = { 0 };
    sel4utils_set_instruction_pointer(&regs, (seL4_Word)writer);
    /* 16-byte aligned top, less the return address slot a called function expects */
    sel4utils_set_stack_pointer(&regs, (seL4_Word)(writer_stack + ARRAY_SIZE(writer_stack)) - sizeof(seL4_Word));
    /* We run below it: it runs (and faults) as soon as it is resumed. */
    error = seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 100);
    ZF_LOGF_IF(error, "Failed to lower our priority");
    error = seL4_TCB_WriteRegisters(tcb, 1, 0, sizeof(regs) / sizeof(seL4_Word), &regs);
    ZF_LOGF_IF(error, "Failed to start the writer");
}

int main(int argc, char *argv[])
{
    (void)argc, (void)argv;
    /* parse the location of the seL4_BootInfo data structure from the environment */
    seL4_BootInfo *info = platsupport_get_bootinfo();
    seL4_Error error;
    seL4_CPtr frame = alloc_object(info, seL4_X86_4K, 0);
    seL4_CPtr pdpt = alloc_object(info, seL4_X86_PDPTObject, 0);
    seL4_CPtr pd = alloc_object(info, seL4_X86_PageDirectoryObject, 0);
    seL4_CPtr pt = alloc_object(info, seL4_X86_PageTableObject, 0);

    /* map a PDPT at TEST_VADDR */
    error = seL4_X86_PDPT_Map(pdpt, seL4_CapInitThreadVSpace, TEST_VADDR, seL4_X86_Default_VMAttributes);
    ZF_LOGF_IF(error != seL4_NoError, "Failed to map the PDPT");

    /* step 1: the page directory is missing */
    error = map_page(frame, seL4_CanRead);
    ZF_LOGF_IF(error != seL4_FailedLookup, "Mapping the page should have failed");

    /* step 2: map a page directory object; the page table is missing */
    error = seL4_X86_PageDirectory_Map(pd, seL4_CapInitThreadVSpace, TEST_VADDR, seL4_X86_Default_VMAttributes);
    ZF_LOGF_IF(error != seL4_NoError, "Failed to map the page directory");
    error = map_page(frame, seL4_CanRead);
    ZF_LOGF_IF(error != seL4_FailedLookup, "Mapping the page should have failed");

    /* step 3: map a page table object, then the page read-only */
    error = seL4_X86_PageTable_Map(pt, seL4_CapInitThreadVSpace, TEST_VADDR, seL4_X86_Default_VMAttributes);
    ZF_LOGF_IF(error != seL4_NoError, "Failed to map the page table");
    error = map_page(frame, seL4_CanRead);
    ZF_LOGF_IF(error != seL4_NoError, "Failed to map page");

    seL4_Word *x = (seL4_Word *)TEST_VADDR;
    printf("Read x: %lu\n", *x);
    run_writer(info);
    printf("The writer stopped at its fault: the page is read-only.\n");

    /* step 4: remap the page read-write */
    error = map_page(frame, seL4_ReadWrite);
    ZF_LOGF_IF(error != seL4_NoError, "Failed to remap the page");

    /* write to the page we mapped */
    printf("Set x to 5\n");
    *x = 5;
    printf("Read x: %lu\n", *x);

    printf("Success!\n");
    return 0;
}
