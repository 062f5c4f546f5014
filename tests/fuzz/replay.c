/* replay.c - run a fuzz target over saved inputs, without clang or libFuzzer.
 *
 * Linked with one fuzz_<target>.c, it calls LLVMFuzzerTestOneInput once per
 * input: every argument is a file or a directory (every regular file in it,
 * sorted by name, not recursive). An input is read into a malloc'd buffer of
 * exactly its size, so ASan or valgrind catch a read past its end. Exit 0
 * when all inputs ran; 1 when an argument is missing, unreadable or an empty
 * directory. A target that finds a broken invariant aborts.
 *
 * Without arguments it replays its committed corpus,
 * $srcdir/tests/fuzz/corpus/MC_FUZZ_TARGET (srcdir "." when unset; the
 * build compiles each replay_<t> with MC_FUZZ_TARGET "<t>"), so make check
 * runs the program itself as the test; no corpus there exits 99, automake's
 * hard error. */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef MC_FUZZ_TARGET
#error "compile with -DMC_FUZZ_TARGET='\"<target>\"' (tests/fuzz/targets.mk does)"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	uint8_t *data;
	size_t size, got;

	if (!f || fstat(fileno(f), &st) != 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		if (f)
			fclose(f);
		return -1;
	}
	size = (size_t)st.st_size;
	data = malloc(size);
	/* malloc(0) may be NULL; the target still wants a valid pointer */
	if (!data && !size)
		data = malloc(1);
	if (!data) {
		fprintf(stderr, "replay: %s: out of memory\n", path);
		fclose(f);
		return -1;
	}
	got = size ? fread(data, 1, size, f) : 0;
	if (got != size || fgetc(f) != EOF) {
		fprintf(stderr, "replay: %s: short read or file changed\n", path);
		free(data);
		fclose(f);
		return -1;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(data, size);
	free(data);
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_names(char **names, size_t n)
{
	while (n)
		free(names[--n]);
	free(names);
}

/* The regular files of dir, sorted; -1 on error. */
static long list_dir(const char *dir, char ***out)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0;

	if (!d) {
		fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(dir) + 1 + strlen(e->d_name) + 1;
		struct stat st;
		char *path;

		if (e->d_name[0] == '.' &&
		    (!e->d_name[1] || (e->d_name[1] == '.' && !e->d_name[2])))
			continue;
		path = malloc(len);
		if (!path)
			goto nomem;
		snprintf(path, len, "%s/%s", dir, e->d_name);
		if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
			free(path);
			continue;
		}
		if (n == cap) {
			char **bigger = realloc(names, (cap ? cap * 2 : 64) * sizeof(*names));
			if (!bigger) {
				free(path);
				goto nomem;
			}
			names = bigger;
			cap = cap ? cap * 2 : 64;
		}
		names[n++] = path;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);
	*out = names;
	return (long)n;
nomem:
	fprintf(stderr, "replay: %s: out of memory\n", dir);
	closedir(d);
	free_names(names, n);
	return -1;
}

static int replay_args(int argc, char **argv)
{
	int i, rc = 0;

	for (i = 1; i < argc; i++) {
		struct stat st;

		if (stat(argv[i], &st) != 0) {
			fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
			rc = 1;
		} else if (S_ISDIR(st.st_mode)) {
			char **names = NULL;
			long n = list_dir(argv[i], &names), k;

			if (n <= 0) {
				if (n == 0)
					fprintf(stderr, "replay: %s: no inputs\n", argv[i]);
				rc = 1;
				continue;
			}
			for (k = 0; k < n; k++) {
				if (run_file(names[k]) != 0)
					rc = 1;
			}
			free_names(names, (size_t)n);
			printf("replayed %ld inputs from %s\n", n, argv[i]);
		} else if (run_file(argv[i]) == 0) {
			printf("replayed 1 input from %s\n", argv[i]);
		} else {
			rc = 1;
		}
	}
	return rc;
}

/* The committed corpus of this target, for a run without arguments. */
static int replay_own_corpus(void)
{
	const char *srcdir = getenv("srcdir");
	char dir[4096];
	struct stat st;
	char *args[3] = {NULL, dir, NULL};
	int n;

	if (!srcdir || !*srcdir)
		srcdir = ".";
	n = snprintf(dir, sizeof(dir), "%s/tests/fuzz/corpus/%s", srcdir, MC_FUZZ_TARGET);
	if (n < 0 || (size_t)n >= sizeof(dir) || stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "replay: no corpus %s/tests/fuzz/corpus/%s\n", srcdir,
		        MC_FUZZ_TARGET);
		return 99;
	}
	return replay_args(2, args);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return replay_own_corpus();
	return replay_args(argc, argv);
}
