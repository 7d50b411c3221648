/* Strict UTF-8, the one definition every module that checks or walks text shares. */
#ifndef PATVERS_UTF8_INTERNAL_H
#define PATVERS_UTF8_INTERNAL_H

#include <stddef.h>

/*
 * The length of the UTF-8 sequence at s (n bytes available, n >= 1), or
 * 0 when there is none: strict, as RFC 3629 — no overlong forms, no
 * surrogates, nothing above U+10FFFF — so a Windows-1252 byte, a CESU
 * surrogate or a truncated letter is never taken for text.
 */
static inline size_t pv_utf8_seq(const unsigned char *s, size_t n)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xBF;
	size_t len;

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		if (c == 0xE0)
			lo = 0xA0;   /* overlong below */
		if (c == 0xED)
			hi = 0x9F;   /* surrogates above */
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		if (c == 0xF0)
			lo = 0x90;   /* overlong below */
		if (c == 0xF4)
			hi = 0x8F;   /* beyond U+10FFFF above */
	} else {
		return 0;
	}
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	return len;
}

/* The code point of the valid sequence s[0..len) (len from pv_utf8_seq). */
static inline unsigned long pv_utf8_decode(const unsigned char *s, size_t len)
{
	static const unsigned char lead_mask[] = { 0, 0x7F, 0x1F, 0x0F, 0x07 };
	unsigned long cp = s[0] & lead_mask[len];

	for (size_t i = 1; i < len; i++)
		cp = cp << 6 | (s[i] & 0x3F);
	return cp;
}

#endif
