/* Copying and comparing the short byte strings of the input hot paths (CSV fields, pupil ids). */
#ifndef PATVERS_BYTES_INTERNAL_H
#define PATVERS_BYTES_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/*
 * Nearly every field of an absence export is under 17 bytes. A call to
 * the C library's memcpy or memcmp for each of them (tens of millions at
 * national scale) cost more than the work itself; these do it in two
 * overlapping moves, never touching a byte outside [0, len).
 */

static inline uint64_t pv_load64(const char *s)
{
	uint64_t v;

	memcpy(&v, s, sizeof v);
	return v;
}

static inline uint32_t pv_load32(const char *s)
{
	uint32_t v;

	memcpy(&v, s, sizeof v);
	return v;
}

/* memcpy(to, from, len) */
static inline void pv_bytes_copy(char *to, const char *from, size_t len)
{
	if (len >= 8 && len <= 16) {
		uint64_t a = pv_load64(from), b = pv_load64(from + len - 8);

		memcpy(to, &a, 8);
		memcpy(to + len - 8, &b, 8);
	} else if (len >= 4 && len < 8) {
		uint32_t a = pv_load32(from), b = pv_load32(from + len - 4);

		memcpy(to, &a, 4);
		memcpy(to + len - 4, &b, 4);
	} else if (len && len < 4) {
		to[0] = from[0];
		to[len / 2] = from[len / 2];
		to[len - 1] = from[len - 1];
	} else if (len) {
		memcpy(to, from, len);
	}
}

/* memcmp(a, b, len) == 0 */
static inline bool pv_bytes_equal(const char *a, const char *b, size_t len)
{
	if (len >= 8 && len <= 16)
		return pv_load64(a) == pv_load64(b) &&
		       pv_load64(a + len - 8) == pv_load64(b + len - 8);
	if (len >= 4 && len < 8)
		return pv_load32(a) == pv_load32(b) &&
		       pv_load32(a + len - 4) == pv_load32(b + len - 4);
	return memcmp(a, b, len) == 0;
}

#endif
