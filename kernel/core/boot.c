/*
 * Boot, arch-neutral part: physical memory bookkeeping, the root task's objects, capabilities
 * and BootInfo, and the untyped capabilities for everything else (abi §7).
 */
#include "boot.h"
#include "printk.h"
#include "arch.h"
#include "tcb.h"
#include "sched.h"
#include "schedcontext.h"
#include "kstring.h"
#include "config.h"
#include "invariants.h"
#include "abi.h"

static struct p_region ram[MAX_BOOT_REGIONS];  /* RAM the kernel manages, as found */
static struct p_region free_ram[MAX_BOOT_REGIONS]; /* of which still free, sorted */
static unsigned num_ram, num_free;

static void region_insert(struct p_region *list, unsigned *n, paddr_t start, paddr_t end)
{
    if (start >= end)
        return;
    if (*n == MAX_BOOT_REGIONS)
        panic("boot: more than %d memory regions", MAX_BOOT_REGIONS);
    unsigned i = *n;
    while (i > 0 && list[i - 1].start > start) {
        list[i] = list[i - 1];
        i--;
    }
    list[i] = (struct p_region){ start, end };
    (*n)++;
}

static void region_remove(struct p_region *list, unsigned *n, paddr_t start, paddr_t end)
{
    for (unsigned i = 0; i < *n; i++) {
        struct p_region r = list[i];
        if (r.end <= start || r.start >= end)
            continue;
        for (unsigned j = i; j + 1 < *n; j++) /* take it out, re-add what is left */
            list[j] = list[j + 1];
        (*n)--;
        region_insert(list, n, r.start, MIN(r.end, start));
        region_insert(list, n, MAX(r.start, end), r.end);
        i = (unsigned)-1; /* the list changed: rescan */
    }
}

void boot_mem_add_ram(paddr_t start, paddr_t end)
{
    start = ROUND_UP(start, seL4_PageBits);
    end = ROUND_DOWN(end, seL4_PageBits);
    region_insert(ram, &num_ram, start, end);
    region_insert(free_ram, &num_free, start, end);
}

void boot_mem_reserve(paddr_t start, paddr_t end) { region_remove(free_ram, &num_free, start, end); }

bool boot_mem_is_reserved(paddr_t start, paddr_t end)
{
    bool in_ram = false;
    for (unsigned i = 0; i < num_ram; i++)
        in_ram |= start >= ram[i].start && end <= ram[i].end;
    for (unsigned i = 0; i < num_free && in_ram; i++)
        if (start < free_ram[i].end && end > free_ram[i].start)
            return false; /* handed out as untyped */
    return in_ram;
}

paddr_t boot_alloc(unsigned size_bits)
{
    for (unsigned i = num_free; i-- > 0;) {
        paddr_t top = ROUND_DOWN(free_ram[i].end, size_bits);
        if (top >= free_ram[i].start + BIT(size_bits) && top >= BIT(size_bits)) {
            paddr_t p = top - BIT(size_bits);
            boot_mem_reserve(p, top);
            kmemset(paddr_to_kptr(p), 0, BIT(size_bits));
            return p;
        }
    }
    panic("boot: no free memory for a 2^%u-byte kernel object", size_bits);
}

/* ---- the root task ---- */

static cte_t *root_cnode;
static seL4_SlotPos next_slot = seL4_NumInitialCaps;
static seL4_BootInfo *bootinfo;

static cte_t *slot(seL4_SlotPos i) { return &root_cnode[i]; }

static void provide_cap(seL4_SlotPos i, cap_t cap) { cte_insert(NULL, slot(i), cap, true, true); }

static seL4_SlotPos provide_next(cap_t cap)
{
    if (next_slot >= BIT(CONFIG_ROOT_CNODE_SIZE_BITS))
        panic("boot: the root CNode (2^%d slots) is too small", CONFIG_ROOT_CNODE_SIZE_BITS);
    provide_cap(next_slot, cap);
    return next_slot++;
}

static unsigned untyped_count;

static void provide_untyped(paddr_t p, unsigned bits, bool device)
{
    if (untyped_count == CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS) {
        kprintf("boot: no room in BootInfo for untyped 0x%lx (2^%u%s): dropped\n", p, bits,
                device ? ", device" : "");
        return;
    }
    provide_next(cap_untyped_new(p, bits, device, BIT(bits))); /* starts full: reset on first use */
    bootinfo->untypedList[untyped_count++] = (seL4_UntypedDesc){
        .paddr = p, .sizeBits = (seL4_Uint8)bits, .isDevice = device
    };
}

/* Cut [start, end) into the largest naturally aligned power-of-two blocks. */
static void provide_untyped_region(paddr_t start, paddr_t end, bool device)
{
    while (end > start && end - start >= BIT(seL4_MinUntypedBits)) {
        unsigned bits = 63 - (unsigned)__builtin_clzll(end - start);
        if (start)
            bits = MIN(bits, (unsigned)__builtin_ctzll(start));
        bits = MIN(bits, (unsigned)seL4_MaxUntypedBits);
        if (bits < seL4_MinUntypedBits)
            break;
        provide_untyped(start, bits, device);
        start += BIT(bits);
    }
}

static void provide_untypeds(void)
{
    /* Device untyped: everything below 2^47 that is neither RAM the kernel manages nor owned
     * by the kernel (LAPIC, IOAPIC), in address order. Then the free RAM. */
    struct p_region used[MAX_BOOT_REGIONS * 2];
    unsigned n_used = 0;
    for (unsigned i = 0; i < num_ram; i++)
        region_insert(used, &n_used, ram[i].start, ram[i].end);
    struct p_region dev[16];
    unsigned n_dev = arch_boot_reserved_device_regions(dev, ARRAY_SIZE(dev));
    for (unsigned i = 0; i < n_dev; i++)
        region_insert(used, &n_used, dev[i].start, dev[i].end);
    paddr_t cursor = 0;
    for (unsigned i = 0; i < n_used; i++) {
        if (used[i].start > cursor)
            provide_untyped_region(cursor, used[i].start, true);
        cursor = MAX(cursor, used[i].end);
    }
    provide_untyped_region(cursor, BIT(seL4_MaxUntypedBits), true);
    for (unsigned i = 0; i < num_free; i++)
        provide_untyped_region(free_ram[i].start, free_ram[i].end, false);
}

static word_t mapping_of(vaddr_t v) { return v; }

NORETURN void boot_root_task(const struct root_image *img)
{
    const unsigned radix = CONFIG_ROOT_CNODE_SIZE_BITS;
    vaddr_t ipc_v = img->v_end, bi_v = ipc_v + BIT(seL4_PageBits), extra_v = bi_v + BIT(seL4_PageBits);
    const unsigned extra_pages = 1;
    vaddr_t end_v = extra_v + extra_pages * BIT(seL4_PageBits);

    /* Objects, largest first so the carving wastes nothing. */
    root_cnode = paddr_to_kptr(boot_alloc(radix + seL4_SlotBits));
    void *pml4 = arch_boot_new_vspace();
    void *asid_pool = paddr_to_kptr(boot_alloc(seL4_ASIDPoolBits));
    paddr_t ipc_p = boot_alloc(seL4_PageBits);
    paddr_t bi_p = boot_alloc(seL4_PageBits);
    paddr_t extra_p = boot_alloc(seL4_PageBits);
    tcb_t *tcb = paddr_to_kptr(boot_alloc(seL4_TCBBits));
    void *sc = paddr_to_kptr(boot_alloc(seL4_MinSchedContextBits));
    bootinfo = paddr_to_kptr(bi_p);

    /* Address space: image, IPC buffer, BootInfo, extra BootInfo. */
    struct boot_table tables[64];
    unsigned nt = 0;
    unsigned image_pages = (unsigned)((img->v_end - img->v_start) >> seL4_PageBits);
    nt += arch_boot_map_frames(pml4, img->v_start, img->paddr, image_pages, tables + nt, 64 - nt);
    nt += arch_boot_map_frames(pml4, ipc_v, ipc_p, 1, tables + nt, 64 - nt);
    nt += arch_boot_map_frames(pml4, bi_v, bi_p, 1, tables + nt, 64 - nt);
    nt += arch_boot_map_frames(pml4, extra_v, extra_p, extra_pages, tables + nt, 64 - nt);
    (void)end_v;
    arch_boot_assign_asid(asid_pool, pml4, 1);

    /* Fixed initial caps (abi §7.5). */
    provide_cap(seL4_CapInitThreadTCB, cap_thread_new(tcb));
    provide_cap(seL4_CapInitThreadCNode, cap_cnode_new(root_cnode, radix, 64 - radix, 0));
    invariants_root = slot(seL4_CapInitThreadCNode)->cap;
    provide_cap(seL4_CapInitThreadVSpace, cap_paging_new(cap_pml4, pml4, 1));
    provide_cap(seL4_CapIRQControl, cap_make(cap_irq_control, 0, 0));
    provide_cap(seL4_CapASIDControl, cap_make(cap_asid_control, 0, 0));
    provide_cap(seL4_CapInitThreadASIDPool, cap_asid_pool_new(asid_pool, 0));
    provide_cap(seL4_CapIOPortControl, cap_make(cap_io_port_control, 0, 0));
    cap_t bi_cap = cap_frame_new(bi_p, frame_4k, VM_READ | VM_WRITE, false);
    provide_cap(seL4_CapBootInfoFrame, cap_set_mapping(bi_cap, 1, bi_v));
    cap_t ipc_cap = cap_frame_new(ipc_p, frame_4k, VM_READ | VM_WRITE, false);
    provide_cap(seL4_CapInitThreadIPCBuffer, cap_set_mapping(ipc_cap, 1, ipc_v));
    provide_cap(seL4_CapDomain, cap_make(cap_domain, 0, 0));
    provide_cap(seL4_CapInitThreadSC, cap_sched_context_new(sc, seL4_MinSchedContextBits));

    /* Dynamically numbered caps, in seL4's order. */
    bootinfo->schedcontrol.start = next_slot;
    provide_next(cap_sched_control_new(0));
    bootinfo->schedcontrol.end = next_slot;
    bootinfo->userImagePaging.start = next_slot;
    for (unsigned i = 0; i < nt; i++)
        provide_next(cap_set_mapping(cap_paging_new(tables[i].type, tables[i].kptr, 0), 1,
                                     mapping_of(tables[i].vaddr)));
    bootinfo->userImagePaging.end = next_slot;
    bootinfo->extraBIPages.start = next_slot;
    for (unsigned i = 0; i < extra_pages; i++) {
        cap_t c = cap_frame_new(extra_p + i * BIT(seL4_PageBits), frame_4k, VM_READ | VM_WRITE, false);
        provide_next(cap_set_mapping(c, 1, extra_v + i * BIT(seL4_PageBits)));
    }
    bootinfo->extraBIPages.end = next_slot;
    bootinfo->userImageFrames.start = next_slot;
    for (unsigned i = 0; i < image_pages; i++) {
        cap_t c = cap_frame_new(img->paddr + i * BIT(seL4_PageBits), frame_4k, VM_READ | VM_WRITE, false);
        provide_next(cap_set_mapping(c, 1, img->v_start + i * BIT(seL4_PageBits)));
    }
    bootinfo->userImageFrames.end = next_slot;

    /* BootInfo proper. */
    bootinfo->extraLen = arch_boot_extra_bootinfo(paddr_to_kptr(extra_p), extra_pages * BIT(seL4_PageBits));
    bootinfo->nodeID = 0;
    bootinfo->numNodes = 1;
    bootinfo->numIOPTLevels = (seL4_Word)-1;
    bootinfo->ipcBuffer = (seL4_IPCBuffer *)ipc_v;
    bootinfo->initThreadCNodeSizeBits = radix;
    bootinfo->initThreadDomain = 0;

    /* The root thread: TCB slots hold copies of its CSpace, VSpace and IPC buffer caps. */
    tcb_init(tcb, "rootserver");
    cte_insert(slot(seL4_CapInitThreadCNode), &tcb->cnode[tcb_slot_cspace],
               slot(seL4_CapInitThreadCNode)->cap, false, false);
    cte_insert(slot(seL4_CapInitThreadVSpace), &tcb->cnode[tcb_slot_vspace],
               slot(seL4_CapInitThreadVSpace)->cap, false, false);
    cte_insert(slot(seL4_CapInitThreadIPCBuffer), &tcb->cnode[tcb_slot_ipc_buffer],
               cap_set_mapping(ipc_cap, 0, 0), false, false);
    tcb->ipc_buffer = ipc_v;
    tcb->priority = seL4_MaxPrio;
    tcb->mcp = seL4_MaxPrio;
    arch_init_user_context(&tcb->ctx, img->entry, bi_v);

    /* Everything left becomes untyped. */
    bootinfo->untyped.start = next_slot;
    provide_untypeds();
    bootinfo->untyped.end = next_slot;
    bootinfo->empty.start = next_slot;
    bootinfo->empty.end = BIT(radix);

    uint64_t now = arch_timestamp();
    kprintf("Cairn: root task \"rootserver\" at 0x%lx, %u untypeds, %lu empty slots\n",
            img->entry, untyped_count, (word_t)(bootinfo->empty.end - bootinfo->empty.start));
    kprintf("Cairn: booted in %lu us (TSC at %u MHz since reset), dropping to user space\n",
            now / arch_tsc_mhz(), arch_tsc_mhz());
    /* The root thread runs round robin on its SC: a 5 ms slice (abi §7.1). */
    sched_kernel_entry();
    sched_context_t *root_sc = sc;
    root_sc->size_bits = seL4_MinSchedContextBits;
    refill_new(root_sc, 2, (uint64_t)CONFIG_BOOT_THREAD_TIME_SLICE * 1000 * arch_tsc_mhz(), 0);
    tcb->state = thread_running;
    sched_context_bind_tcb(root_sc, tcb);
    schedule_and_return();
}
