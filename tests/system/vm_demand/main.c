/*
 * Demand paging: the root task is the fault handler (pager) of a worker thread that touches
 * memory nobody mapped. Each VMFault (abi §11: label 6, [IP, Addr, PrefetchFault, FSR]) is
 * answered by mapping a fresh frame there, with the paging structures that are missing
 * (seL4_MappingFailedLookupLevel says which), and replying: the reply restarts the worker at
 * the faulting instruction, which now succeeds. The pages span several page tables, page
 * directories and PDPTs; a read fault gets a zeroed page; a write to a read-only page is
 * answered by remapping it read-write; a call into an unmapped page gets code the pager
 * writes into the frame it maps there.
 */
#include <stdio.h>
#include <string.h>
#include <sel4/sel4.h>
#include "../common/check.h"
#include "../common/thread.h"
#include "../common/vspace.h"
#include "../common/fault_helpers.h"

#define R 0x40000000000ul /* 4 TiB: nothing mapped there */
#define BADGE 0xd0
#define DONE 0x55
#define DEF seL4_X86_Default_VMAttributes

/* Pages the worker writes, then reads back: spread over 2 PTs of one PD, another PD of the
 * same PDPT and another PDPT. */
static const seL4_Word pages[] = {
    R, R + 0x1000, R + 0x5000, R + 0x1ff000, R + 0x200000, R + 0x201000, R + (1ul << 30) + 0x3000,
    R + (512ul << 30), R + (512ul << 30) + 0x7000,
};
#define NPAGES (sizeof(pages) / sizeof(pages[0]))
#define CODE (R + (3ul << 30)) /* a function the pager provides on demand */
#define RO_PAGE (R + 0x9000)   /* mapped read-only by the pager; a write is a second fault */

static volatile seL4_Word good, zero_reads, code_result, ro_value;
static seL4_CPtr ep;

static void worker(seL4_Word a0, seL4_Word a1)
{
    (void)a0, (void)a1;
    for (unsigned i = 0; i < NPAGES; i++)
        for (unsigned w = 0; w < 512; w += 37)
            ((volatile seL4_Word *)pages[i])[w] = pages[i] ^ w;
    for (unsigned i = 0; i < NPAGES; i++) {
        bool ok = true;
        for (unsigned w = 0; w < 512; w += 37)
            ok = ok && ((volatile seL4_Word *)pages[i])[w] == (pages[i] ^ w);
        good += ok;
    }
    /* A read of an untouched page: the pager maps a zeroed frame. */
    volatile seL4_Word *z = (volatile seL4_Word *)(R + 0x2000);
    zero_reads = z[0] == 0 && z[511] == 0;
    /* Code on demand. */
    code_result = ((seL4_Word(*)(void))CODE)();
    /* A read-only page (read fault first), then a write to it. */
    volatile seL4_Word *ro = (volatile seL4_Word *)RO_PAGE;
    ro_value = ro[1];
    ro[1] = 0xbeef;
    ro_value = ro[1];
    seL4_Send(ep, seL4_MessageInfo_new(DONE, 0, 0, 0));
    for (;;)
        seL4_Yield();
}

static unsigned tables_made[3]; /* PDPTs, PDs, PTs the pager made */

static seL4_Error pager_map(seL4_CPtr frame, seL4_Word vaddr, seL4_CapRights_t rights)
{
    for (;;) {
        seL4_Error e = seL4_X86_Page_Map(frame, seL4_CapInitThreadVSpace, vaddr, rights, DEF);
        if (e != seL4_FailedLookup)
            return e;
        seL4_Word level = seL4_MappingFailedLookupLevel();
        tables_made[level == 39 ? 0 : level == 30 ? 1 : 2]++;
        if ((e = test_map_missing_table(seL4_CapInitThreadVSpace, vaddr, level)))
            return e;
    }
}

int main(void)
{
    test_init();
    ep = test_alloc_obj(seL4_EndpointObject, 0);
    seL4_CPtr reply = test_alloc_obj(seL4_ReplyObject, 0);
    struct test_thread t = faulter_new("worker", 100, worker, 0, 0, mint_badged(ep, seL4_AllRights, BADGE), true);
    (void)t;

    unsigned faults = 0, write_faults = 0, read_faults = 0, fetch_faults = 0, ro_faults = 0, bad = 0;
    seL4_CPtr ro_frame = 0;
    for (;;) {
        struct fault_msg m;
        fault_recv(ep, reply, &m);
        if (m.label == DONE)
            break;
        if (m.label != seL4_Fault_VMFault || m.badge != BADGE || m.length != 4 || m.mr[2] != 0) {
            printf("  unexpected message: label %lu badge 0x%lx length %lu\n", (unsigned long)m.label,
                   (unsigned long)m.badge, (unsigned long)m.length);
            bad++;
            break;
        }
        faults++;
        seL4_Word addr = m.mr[seL4_VMFault_Addr], fsr = m.mr[seL4_VMFault_FSR], page = addr & ~0xffful;
        if (fsr == 7 && page == RO_PAGE) { /* write to the read-only page: make it read-write */
            ro_faults++;
            if (seL4_X86_Page_Map(ro_frame, seL4_CapInitThreadVSpace, RO_PAGE, seL4_ReadWrite, DEF))
                bad++;
            reply_to_fault(reply, 0, 0);
            continue;
        }
        seL4_CPtr frame = test_alloc_obj(seL4_X86_4K, 0);
        if (page == CODE && m.mr[seL4_VMFault_IP] == CODE && fsr == 4) {
            fetch_faults++;
            /* Write `mov $42, %eax; ret` into the frame through a mapping of our own. */
            seL4_CPtr copy = test_copy_cap(frame, seL4_AllRights);
            pager_map(copy, R + (4ul << 30), seL4_ReadWrite);
            static const unsigned char code[] = { 0xb8, 42, 0, 0, 0, 0xc3 };
            memcpy((void *)(R + (4ul << 30)), code, sizeof(code));
            seL4_X86_Page_Unmap(copy);
        } else if (fsr == 6) {
            write_faults++;
        } else if (fsr == 4) {
            read_faults++;
        } else {
            printf("  unexpected FSR 0x%lx at 0x%lx\n", (unsigned long)fsr, (unsigned long)addr);
            bad++;
        }
        seL4_CapRights_t rights = page == RO_PAGE ? seL4_CanRead : seL4_ReadWrite;
        if (page == RO_PAGE)
            ro_frame = frame;
        if (pager_map(frame, page, rights))
            bad++;
        reply_to_fault(reply, 0, 0);
    }
    CHECK("every message was a VMFault [IP, Addr, 0, FSR] with the handler's badge", bad == 0);
    CHECK("one write fault per page written (FSR 6: user write, not present)", write_faults == NPAGES);
    CHECK("the worker read back every page it wrote", good == NPAGES);
    CHECK("a read of a new page faults once (FSR 4) and reads zero", zero_reads == 1);
    CHECK("calling unmapped code faults with IP = Addr, FSR 4; the code the pager put there runs",
          fetch_faults == 1 && code_result == 42);
    CHECK("the read-only page: a read fault, then the write's fault with FSR 7, answered by a remap",
          ro_faults == 1 && ro_value == 0xbeef);
    CHECK("read faults: the zero page and the read-only page", read_faults == 2);
    CHECK("faults in all: NPAGES + 4", faults == NPAGES + 4);
    CHECK("the pager made 2 PDPTs, 5 page directories and 6 page tables on the way (its own window included)",
          tables_made[0] == 2 && tables_made[1] == 5 && tables_made[2] == 6);
    return 0;
}
