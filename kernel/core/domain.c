/* The domain cap (abi §5.6). Cairn has one domain, so the schedule only records entries. */
#include "invocation.h"
#include "tcb.h"
#include "abi.h"

#define NUM_DOMAINS CONFIG_NUM_DOMAINS
#define NUM_DOMAIN_SCHEDULES 2
static struct {
    uint8_t domain;
    uint64_t duration;
} domain_schedule[NUM_DOMAIN_SCHEDULES];
static word_t domain_schedule_start;

exception_t decode_domain_invocation(struct invocation *inv)
{
    switch (inv->label) {
    case DomainSetSet: {
        if (inv->length < 1) {
            user_error("DomainSet_Set: truncated message.");
            return seL4_TruncatedMessage;
        }
        word_t domain = inv_mr(inv, 0) & 0xff;
        if (domain >= NUM_DOMAINS) {
            user_error("DomainSet_Set: domain %lu does not exist (there are %d).", domain, NUM_DOMAINS);
            return err_invalid_argument(inv, 0);
        }
        cte_t *c = inv_extra_cap(inv, 0);
        if (!c) {
            user_error("DomainSet_Set: truncated message (no TCB cap).");
            return seL4_TruncatedMessage;
        }
        if (cap_get_type(c->cap) != cap_thread) {
            user_error("DomainSet_Set: the cap is not a TCB cap.");
            return err_invalid_argument(inv, 1);
        }
        ((tcb_t *)cap_ptr(c->cap))->domain = (uint8_t)domain;
        return EXCEPTION_NONE;
    }
    case DomainScheduleConfigure: {
        if (inv->length < 3) {
            user_error("DomainSet_ScheduleConfigure: truncated message.");
            return seL4_TruncatedMessage;
        }
        word_t index = inv_mr(inv, 0), domain = inv_mr(inv, 1), duration = inv_mr(inv, 2);
        if (index >= NUM_DOMAIN_SCHEDULES - 1) {
            user_error("DomainSet_ScheduleConfigure: index %lu is past the schedule.", index);
            return err_range(inv, 0, NUM_DOMAIN_SCHEDULES - 2);
        }
        if (domain >= NUM_DOMAINS) {
            user_error("DomainSet_ScheduleConfigure: domain %lu does not exist.", domain);
            return err_range(inv, 0, NUM_DOMAINS - 1);
        }
        if (duration > MASK(56)) {
            user_error("DomainSet_ScheduleConfigure: duration %lu is too long.", duration);
            return err_invalid_argument(inv, 2);
        }
        if (duration == 0 && domain != 0) {
            user_error("DomainSet_ScheduleConfigure: an end marker must name domain 0.");
            return err_invalid_argument(inv, 1);
        }
        if (duration == 0 && index == domain_schedule_start) {
            user_error("DomainSet_ScheduleConfigure: the start entry cannot be an end marker.");
            return err_invalid_argument(inv, 2);
        }
        domain_schedule[index].domain = (uint8_t)domain;
        domain_schedule[index].duration = duration;
        return EXCEPTION_NONE;
    }
    case DomainScheduleSetStart: {
        if (inv->length < 1) {
            user_error("DomainSet_ScheduleSetStart: truncated message.");
            return seL4_TruncatedMessage;
        }
        word_t index = inv_mr(inv, 0);
        if (index >= NUM_DOMAIN_SCHEDULES) {
            user_error("DomainSet_ScheduleSetStart: index %lu is past the schedule.", index);
            return err_range(inv, 0, NUM_DOMAIN_SCHEDULES - 1);
        }
        if (domain_schedule[index].duration == 0) {
            user_error("DomainSet_ScheduleSetStart: entry %lu is an end marker.", index);
            return err_invalid_argument(inv, 0);
        }
        domain_schedule_start = index;
        return EXCEPTION_NONE;
    }
    default:
        user_error("DomainSet: illegal operation (label %lu).", inv->label);
        return seL4_IllegalOperation;
    }
}
