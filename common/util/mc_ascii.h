/* mc_ascii.h - ASCII character classes of the RFC 5234 core rules (appendix
 * B.1), independent of the locale, unlike <ctype.h>. Bytes above 0x7f
 * belong to no class. */
#ifndef MC_ASCII_H
#define MC_ASCII_H

#include <stdbool.h>

/* ALPHA: A-Z, a-z. */
bool mc_ascii_is_alpha(char c);
/* DIGIT: 0-9. */
bool mc_ascii_is_digit(char c);
/* ALPHA or DIGIT. */
bool mc_ascii_is_alnum(char c);
/* HEXDIG in any case: 0-9, A-F, a-f (ABNF strings are case-insensitive). */
bool mc_ascii_is_hex(char c);
/* WSP: space or horizontal tab. */
bool mc_ascii_is_wsp(char c);
/* c with A-Z turned into a-z; any other byte unchanged. */
char mc_ascii_lower(char c);

#endif
