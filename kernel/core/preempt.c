/* Preemption points: stop a long operation when an interrupt is waiting. */
#include "preempt.h"
#include "arch.h"

word_t preempt_test_every;
static word_t points_since_preemption;

bool preemption_point(void)
{
    points_since_preemption++;
    if (preempt_test_every && points_since_preemption >= preempt_test_every) {
        points_since_preemption = 0;
        return true;
    }
    if (arch_interrupt_pending()) {
        points_since_preemption = 0;
        return true;
    }
    return false;
}
