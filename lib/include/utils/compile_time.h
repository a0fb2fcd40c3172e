/* compile_time_assert(name, expr): a build error when the constant expr is false. */
#pragma once

#define compile_time_assert(name, expr) _Static_assert(expr, #name)
