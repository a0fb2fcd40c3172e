/* The fastpath_equiv probes. */
#include "../fastpath_equiv/probe.S"
