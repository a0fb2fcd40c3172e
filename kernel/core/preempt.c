/* Preemption points: stop a long operation when an interrupt is waiting. */
#include "preempt.h"
#include "arch.h"

/* Asking the interrupt controller costs far more than a unit of work (256 bytes cleared, one
 * slot deleted): ask every PREEMPT_CHECK_UNITS units. */
#define PREEMPT_CHECK_UNITS 16

word_t preempt_test_every;
static word_t points_since_preemption;

bool preemption_point(void)
{
    points_since_preemption++;
    if (preempt_test_every) {
        if (points_since_preemption < preempt_test_every)
            return false;
        points_since_preemption = 0;
        return true;
    }
    if (points_since_preemption % PREEMPT_CHECK_UNITS == 0 && arch_interrupt_pending()) {
        points_since_preemption = 0;
        return true;
    }
    return false;
}
