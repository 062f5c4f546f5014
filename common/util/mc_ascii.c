#include "mc_ascii.h"

bool mc_ascii_is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool mc_ascii_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

bool mc_ascii_is_alnum(char c)
{
	return mc_ascii_is_alpha(c) || mc_ascii_is_digit(c);
}

bool mc_ascii_is_hex(char c)
{
	return mc_ascii_is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool mc_ascii_is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

char mc_ascii_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c + ('a' - 'A')) : c;
}
