/* Fuzz target: the anonymity guard on free text; a refusal must never show what it found. */
#include "fuzz.h"
#include "patvers/anonymity.h"

/* Occurrences of `needle` in `hay`, overlapping ones too. */
static size_t occurrences(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

/*
 * Every hit must be masked in the refusal. A hit's text may still show
 * where the same bytes occur in the input without being a hit (inside a
 * longer number, say), so the check is: when every occurrence of a hit's
 * text in the input is a hit, the message must not contain it.
 */
static void check_masked(const char *text, const char *message)
{
	struct pv_anonymity_hit hit;
	struct pv_error err;
	size_t offset = 0;
	bool found = true;

	for (int i = 0; i < 64 && found && text[offset]; i++) {
		char *what;
		size_t hits = 0;

		if (pv_anonymity_find(NULL, text + offset, &found, &hit, &err) != PV_OK)
			abort();
		if (!found)
			break;
		what = strndup(text + offset + hit.start, hit.len);
		if (!what)
			abort();
		/* Count the hits with this text: rescan from the start. */
		for (size_t o = 0; text[o];) {
			struct pv_anonymity_hit h;
			bool f = false;

			if (pv_anonymity_find(NULL, text + o, &f, &h, &err) != PV_OK || !f)
				break;
			hits += h.len == hit.len && memcmp(text + o + h.start, what, h.len) == 0;
			o += h.start + h.len;
		}
		if (hits == occurrences(text, what) && strstr(message, what)) {
			fprintf(stderr, "fuzz: the refusal shows the hit '%s': %s\n", what,
				message);
			abort();
		}
		free(what);
		offset += hit.start + hit.len;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pv_anonymity_hit hit;
	struct pv_error err;
	bool found = false;
	char *text = malloc(size + 1);
	enum pv_status status;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (pv_anonymity_find(NULL, text, &found, &hit, &err) != PV_OK)
		abort();
	if (found && (hit.len == 0 || hit.start + hit.len > strlen(text)))
		abort();
	status = pv_anonymity_check(NULL, "field", text, &err);
	if ((status == PV_OK) == found)
		abort();
	if (found)
		check_masked(text, err.message);
	free(text);
	return 0;
}
