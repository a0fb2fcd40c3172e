/* Configuration of a sel4utils process, built with the process_config_* functions
 * (libsel4utils' process_config.h). Each builder takes a config by value and returns the
 * changed copy. */
#pragma once

#include <autoconf.h>
#include <stdbool.h>
#include <stdint.h>
#include <sel4/sel4.h>
#include <simple/simple.h>
#include <vka/vka.h>
#include <vka/object.h>
#include <vspace/vspace.h>
#include <sel4utils/gen_config.h>
#include <sel4utils/api.h>
#include <sel4utils/elf.h>
#include <sel4utils/thread_config.h>

typedef struct {
    bool is_elf;                 /* load the program from an ELF image? */
    const char *image_name;      /* its name in the CPIO archive */
    bool do_elf_load;            /* map and fill the segments now (else only reserve them) */

    void *entry_point;           /* without an ELF: where to start ... */
    uintptr_t sysinfo;           /* ... and the AT_SYSINFO value (0: none) */

    bool create_cspace;          /* create a one-level CSpace with sel4utils' layout? */
    int one_level_cspace_size_bits;
    seL4_CPtr dest_cspace_tcb_cptr; /* otherwise: the thread's own TCB in that CSpace (0: none) */
    vka_object_t cnode;          /* otherwise: the root CNode (the *_to_process cap helpers
                                  * need a CSpace created here) */

    bool create_vspace;          /* create a new VSpace (PML4 + sel4utils vspace)? */
    vspace_t *vspace;            /* otherwise: this vspace ... */
    vka_object_t page_dir;       /* ... and its root */
    sel4utils_elf_region_t *reservations; /* ranges to keep clear in a created vspace */
    int num_reservations;

    bool create_fault_endpoint;  /* create a fault endpoint? */
    vka_object_t fault_endpoint; /* otherwise: this one (cptr 0: none) */

    sched_params_t sched_params;

    seL4_CPtr asid_pool;         /* ASID pool for a created VSpace (0: the root task's) */
} sel4utils_process_config_t;

static inline sel4utils_process_config_t process_config_asid_pool(sel4utils_process_config_t config,
                                                                  seL4_CPtr asid_pool)
{
    config.asid_pool = asid_pool;
    return config;
}

static inline sel4utils_process_config_t process_config_auth(sel4utils_process_config_t config, seL4_CPtr auth)
{
    config.sched_params.auth = auth;
    return config;
}

/* An empty config authorised by the caller's TCB, using its ASID pool. */
static inline sel4utils_process_config_t process_config_new(simple_t *simple)
{
    sel4utils_process_config_t config = {0};
    config = process_config_auth(config, simple_get_tcb(simple));
    return process_config_asid_pool(config, simple_get_init_cap(simple, seL4_CapInitThreadASIDPool));
}

static inline sel4utils_process_config_t process_config_elf(sel4utils_process_config_t config,
                                                            const char *image_name, bool preload)
{
    config.is_elf = true;
    config.image_name = image_name;
    config.do_elf_load = preload;
    return config;
}

static inline sel4utils_process_config_t process_config_noelf(sel4utils_process_config_t config,
                                                              void *entry_point, uintptr_t sysinfo)
{
    config.is_elf = false;
    config.entry_point = entry_point;
    config.sysinfo = sysinfo;
    return config;
}

static inline sel4utils_process_config_t process_config_cnode(sel4utils_process_config_t config,
                                                              vka_object_t cnode)
{
    config.create_cspace = false;
    config.cnode = cnode;
    return config;
}

static inline sel4utils_process_config_t process_config_create_cnode(sel4utils_process_config_t config,
                                                                     int size_bits)
{
    config.create_cspace = true;
    config.one_level_cspace_size_bits = size_bits;
    return config;
}

static inline sel4utils_process_config_t process_config_vspace(sel4utils_process_config_t config,
                                                               vspace_t *vspace, vka_object_t page_dir)
{
    config.create_vspace = false;
    config.vspace = vspace;
    config.page_dir = page_dir;
    return config;
}

static inline sel4utils_process_config_t process_config_create_vspace(sel4utils_process_config_t config,
                                                                      sel4utils_elf_region_t *reservations,
                                                                      int num_reservations)
{
    config.create_vspace = true;
    config.reservations = reservations;
    config.num_reservations = num_reservations;
    return config;
}

static inline sel4utils_process_config_t process_config_priority(sel4utils_process_config_t config,
                                                                 uint8_t priority)
{
    config.sched_params.priority = priority;
    return config;
}

static inline sel4utils_process_config_t process_config_mcp(sel4utils_process_config_t config, uint8_t mcp)
{
    config.sched_params.mcp = mcp;
    return config;
}

static inline sel4utils_process_config_t process_config_create_fault_endpoint(sel4utils_process_config_t config)
{
    config.create_fault_endpoint = true;
    return config;
}

static inline sel4utils_process_config_t process_config_fault_endpoint(sel4utils_process_config_t config,
                                                                       vka_object_t fault_endpoint)
{
    config.fault_endpoint = fault_endpoint;
    config.create_fault_endpoint = false;
    return config;
}

static inline sel4utils_process_config_t process_config_fault_cptr(sel4utils_process_config_t config,
                                                                   seL4_CPtr fault_cptr)
{
    config.fault_endpoint.cptr = fault_cptr;
    config.create_fault_endpoint = false;
    return config;
}

/* ELF `image_name` preloaded, a new CSpace of CONFIG_SEL4UTILS_CSPACE_SIZE_BITS, a new
 * VSpace in `asid_pool`, a new fault endpoint; priority 0 and no scheduling context. */
static inline sel4utils_process_config_t process_config_default(const char *image_name, seL4_CPtr asid_pool)
{
    sel4utils_process_config_t config = {0};
    config = process_config_asid_pool(config, asid_pool);
    config = process_config_elf(config, image_name, true);
    config = process_config_create_cnode(config, CONFIG_SEL4UTILS_CSPACE_SIZE_BITS);
    config = process_config_create_vspace(config, NULL, 0);
    return process_config_create_fault_endpoint(config);
}

/* As process_config_default, authorised by the caller's TCB, at priority `prio`, and on MCS
 * with a round-robin scheduling context (the boot thread's time slice, core 0). */
static inline sel4utils_process_config_t process_config_default_simple(simple_t *simple, const char *image_name,
                                                                       uint8_t prio)
{
    sel4utils_process_config_t config = process_config_new(simple);
    config = process_config_elf(config, image_name, true);
    config = process_config_create_cnode(config, CONFIG_SEL4UTILS_CSPACE_SIZE_BITS);
    config = process_config_create_vspace(config, NULL, 0);
    config = process_config_create_fault_endpoint(config);
#ifdef CONFIG_KERNEL_MCS
    uint64_t timeslice = CONFIG_BOOT_THREAD_TIME_SLICE;
    config.sched_params = sched_params_round_robin(config.sched_params, simple, 0, timeslice * US_IN_MS);
#endif
    return process_config_priority(config, prio);
}
