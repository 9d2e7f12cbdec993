/* cand.c - strength classes of cand.h. */
#include "cand.h"
#include "../core/str.h"

float cand_strength_conf(enum ev_strength s)
{
	switch (s) {
	case EV_WEAK: return 0.25f;
	case EV_MEDIUM: return 0.55f;
	case EV_FAIR: return 0.75f;
	case EV_STRONG: return 0.92f;
	default: return 0.0f;
	}
}

static const char *const names[] = {"none", "weak", "medium", "fair", "strong"};

const char *cand_strength_name(enum ev_strength s)
{
	return (unsigned)s <= EV_STRONG ? names[s] : "none";
}

enum ev_strength cand_strength_from_name(const char *s, unsigned long n)
{
	for (int i = 1; i <= EV_STRONG; i++)
		if (str_caseeq(s, n, names[i]))
			return (enum ev_strength)i;
	return EV_NONE;
}
