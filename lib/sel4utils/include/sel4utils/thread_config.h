/* Configuration of a sel4utils thread, built with the thread_config_* functions
 * (libsel4utils' thread_config.h). Each builder takes a config by value and returns the
 * changed copy. */
#pragma once

#include <autoconf.h>
#include <stdbool.h>
#include <stdint.h>
#include <sel4/sel4.h>
#include <simple/simple.h>
#include <utils/zf_log.h>
#include <sel4utils/api.h>

#ifndef US_IN_MS
#define US_IN_MS 1000ull
#endif

/* Scheduling parameters, shared by thread and process configs. */
typedef struct sched_params {
    uint8_t priority;         /* seL4 priority of the thread */
    uint8_t mcp;              /* its maximum controlled priority */
    seL4_CPtr auth;           /* TCB whose MCP authorises priority/mcp */
    bool create_sc;           /* create (and configure) a scheduling context */
    seL4_CPtr sched_ctrl;     /* SchedControl cap used to configure it */
    uint64_t period;          /* microseconds */
    uint64_t budget;          /* microseconds */
    seL4_Word extra_refills;
    seL4_Word badge;
    seL4_CPtr sched_context;  /* when not creating one: this one (or none) */
    seL4_Word core;
} sched_params_t;

typedef struct sel4utils_thread_config {
    seL4_CPtr fault_endpoint;  /* in the caller's CSpace; seL4_CapNull for none */
    seL4_CNode cspace;         /* root CNode of the thread's CSpace */
    seL4_Word cspace_root_data;/* guard word for it */
    bool custom_stack_size;
    seL4_Word stack_size;      /* in 4 KiB pages, when custom_stack_size */
    bool no_ipc_buffer;
    sched_params_t sched_params;
    bool create_reply;         /* MCS: create a reply object for the thread */
    seL4_CPtr reply;           /* otherwise this one (or none) */
} sel4utils_thread_config_t;

static inline sched_params_t sched_params_periodic(sched_params_t params, simple_t *simple, seL4_Word core,
                                                   uint64_t period_us, uint64_t budget_us,
                                                   seL4_Word extra_refills, seL4_Word badge)
{
#ifndef CONFIG_KERNEL_MCS
    ZF_LOGW("Setting sched params on non-MCS kernel will have no effect");
#endif
    params.sched_ctrl = simple_get_sched_ctrl(simple, core);
    params.period = period_us;
    params.budget = budget_us;
    params.extra_refills = extra_refills;
    params.badge = badge;
    params.create_sc = true;
    return params;
}

static inline sched_params_t sched_params_round_robin(sched_params_t params, simple_t *simple, seL4_Word core,
                                                      uint64_t timeslice_us)
{
    return sched_params_periodic(params, simple, core, timeslice_us, timeslice_us, 0, 0);
}

static inline sched_params_t sched_params_core(sched_params_t params, seL4_Word core)
{
    params.core = core;
    return params;
}

static inline sel4utils_thread_config_t thread_config_create_reply(sel4utils_thread_config_t config)
{
    config.create_reply = true;
    return config;
}

static inline sel4utils_thread_config_t thread_config_reply(sel4utils_thread_config_t config, seL4_CPtr reply)
{
    config.create_reply = false;
    config.reply = reply;
    return config;
}

static inline sel4utils_thread_config_t thread_config_sched_context(sel4utils_thread_config_t config,
                                                                    seL4_CPtr sched_context)
{
    config.sched_params.create_sc = false;
    config.sched_params.sched_context = sched_context;
    return config;
}

static inline sel4utils_thread_config_t thread_config_cspace(sel4utils_thread_config_t config,
                                                             seL4_CPtr cspace_root, seL4_Word cspace_root_data)
{
    config.cspace = cspace_root;
    config.cspace_root_data = cspace_root_data;
    return config;
}

static inline sel4utils_thread_config_t thread_config_auth(sel4utils_thread_config_t config, seL4_CPtr tcb)
{
    config.sched_params.auth = tcb;
    return config;
}

/* A thread in the caller's CSpace (as `simple` describes it), authorised by its TCB. */
static inline sel4utils_thread_config_t thread_config_new(simple_t *simple)
{
    sel4utils_thread_config_t config = {0};
    seL4_Word data = api_make_guard_skip_word(seL4_WordBits - simple_get_cnode_size_bits(simple));
    config = thread_config_auth(config, simple_get_tcb(simple));
    return thread_config_cspace(config, simple_get_cnode(simple), data);
}

static inline sel4utils_thread_config_t thread_config_priority(sel4utils_thread_config_t config, uint8_t priority)
{
    config.sched_params.priority = priority;
    return config;
}

static inline sel4utils_thread_config_t thread_config_mcp(sel4utils_thread_config_t config, uint8_t mcp)
{
    config.sched_params.mcp = mcp;
    return config;
}

/* Stack of `size` 4 KiB pages (0: no stack). */
static inline sel4utils_thread_config_t thread_config_stack_size(sel4utils_thread_config_t config, seL4_Word size)
{
    config.stack_size = size;
    config.custom_stack_size = true;
    return config;
}

static inline sel4utils_thread_config_t thread_config_no_ipc_buffer(sel4utils_thread_config_t config)
{
    config.no_ipc_buffer = true;
    return config;
}

static inline sel4utils_thread_config_t thread_config_fault_endpoint(sel4utils_thread_config_t config,
                                                                     seL4_CPtr fault_ep)
{
    config.fault_endpoint = fault_ep;
    return config;
}

/* The usual thread: CSpace `cnode`/`data`, fault endpoint, priority; on MCS a round-robin
 * scheduling context of the boot thread's time slice on core 0, and a reply object. */
static inline sel4utils_thread_config_t thread_config_default(simple_t *simple, seL4_CPtr cnode, seL4_Word data,
                                                              seL4_CPtr fault_ep, uint8_t prio)
{
    sel4utils_thread_config_t config = thread_config_new(simple);
    config = thread_config_cspace(config, cnode, data);
    config = thread_config_fault_endpoint(config, fault_ep);
    config = thread_config_priority(config, prio);
#ifdef CONFIG_KERNEL_MCS
    uint64_t timeslice = CONFIG_BOOT_THREAD_TIME_SLICE;
    config.sched_params = sched_params_round_robin(config.sched_params, simple, 0, timeslice * US_IN_MS);
#endif
    return thread_config_create_reply(config);
}
