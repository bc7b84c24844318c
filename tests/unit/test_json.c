/* Unit tests for tools/lib/json.c: prints "N passed, N failed". */
#include "json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

/* Every record as "rec N: key=T:val key=T:val ...\n" (T: s n b o). */
static char got[4096];

static void on_rec(void *arg, uint64_t rec, const nk_json_field *f, size_t n)
{
	(void)arg;
	size_t k = strlen(got);
	k += (size_t)snprintf(got + k, sizeof got - k, "rec %llu:", (unsigned long long)rec);
	for (size_t i = 0; i < n; i++) {
		CHECK(f[i].val.p[f[i].val.n] == 0);
		k += (size_t)snprintf(got + k, sizeof got - k, " %.*s=%c:%.*s",
				      (int)f[i].key.n, f[i].key.p, "snbo"[f[i].type],
				      (int)f[i].val.n, f[i].val.p);
	}
	snprintf(got + k, sizeof got - k, "\n");
}

/* Parse `s` fed in pieces of `step` bytes (0: at once). Returns 0 or -1. */
static int run(const char *s, size_t step, nk_json **out)
{
	got[0] = 0;
	nk_json *j = nk_json_new(on_rec, NULL);
	size_t n = strlen(s), i = 0;
	int rc = 0;
	if (!step)
		step = n ? n : 1;
	for (; i < n && !rc; i += step)
		rc = nk_json_feed(j, s + i, n - i < step ? n - i : step);
	if (!rc)
		rc = nk_json_end(j);
	*out = j;
	return rc;
}

static const char doc[] =
	"{\"elapsedTime\":\"0.1 secs\",\"count\":2,\"data\":[\n"
	" {\"refYear\":2022,\"primaryValue\":14121885217.018,\"qty\":null,"
	"\"cmdDesc\":\"Mineral fuels \\\"oils\\\"\\t\\u00e9\",\"isLeaf\":false,"
	"\"x\":{\"a\":[1,2,{\"b\":3}]},\"netWgt\":1e3},\n"
	" {\"refYear\":2021,\"primaryValue\":-0.5E-2,\"y\":[]}\n"
	"],\"error\":\"\"}";
static const char want[] =
	"rec 1: refYear=n:2022 primaryValue=n:14121885217.018 "
	"cmdDesc=s:Mineral fuels \"oils\"\t\xc3\xa9 isLeaf=b:false x=o: netWgt=n:1e3\n"
	"rec 2: refYear=n:2021 primaryValue=n:-0.5E-2 y=o:\n";

static void test_records(void)
{
	size_t steps[] = {0, 1, 2, 7, 64};
	for (size_t i = 0; i < sizeof steps / sizeof *steps; i++) {
		nk_json *j;
		CHECK(run(doc, steps[i], &j) == 0);
		CHECK(!strcmp(got, want));
		if (strcmp(got, want))
			printf("step %zu got:\n%s", steps[i], got);
		CHECK(j->records == 2 && j->root == 1 && j->data == 1);
		CHECK(j->has_count && j->count == 2 && j->count_seen);
		CHECK(j->error[0] == 0 && !j->dataset);
		CHECK(j->bytes == strlen(doc));
		nk_json_free(j);
	}
}

static void test_top(void)
{
	nk_json *j;
	CHECK(run("{\"count\":0,\"data\":[],\"error\":\"Invalid period\"}", 0, &j) == 0);
	CHECK(!strcmp(j->error, "Invalid period") && j->records == 0 && j->data == 1);
	nk_json_free(j);
	CHECK(run("{\"statusCode\":401,\"message\":\"Access denied\"}", 3, &j) == 0);
	CHECK(!strcmp(j->message, "Access denied") && j->data == 0 && !j->count_seen);
	nk_json_free(j);
	CHECK(run("{\"validation\":{\"count\":{\"value\":10}},\"dataset\":[{\"a\":1}]}", 0, &j) == 0);
	CHECK(j->dataset && j->data == 0 && j->records == 0 && !j->count_seen && !got[0]);
	nk_json_free(j);
	CHECK(run("{\"count\":4.0,\"data\":null}", 0, &j) == 0);
	CHECK(j->count_seen && !j->has_count && j->data == 2);
	nk_json_free(j);
	CHECK(run("[1,2]", 0, &j) == 0);
	CHECK(j->root == 2 && j->data == 0);
	nk_json_free(j);
}

static void test_errors(void)
{
	nk_json *j;
	/* the fetch tests' bad body: '5' where a key must be, column 43 */
	CHECK(run("{\"count\": 1, \"data\": [{\"primaryValue\": 12,5}]}", 0, &j) == -1);
	CHECK(j->syntax && j->offset == 42 && j->line == 1 && j->column == 43);
	CHECK(strstr(j->why, "invalid object key") != NULL);
	nk_json_free(j);
	/* the same fed byte by byte: yajl sees the number end one byte on */
	CHECK(run("{\"count\": 1, \"data\": [{\"primaryValue\": 12,5}]}", 1, &j) == -1);
	CHECK(j->syntax && j->offset >= 42 && j->offset <= 43 && j->line == 1);
	nk_json_free(j);
	/* line and column on a later line */
	CHECK(run("{\"data\":[\n{\"a\":1},\n  x]}", 4, &j) == -1);
	CHECK(j->syntax && j->line == 3 && j->column == 3 && j->offset == 21);
	nk_json_free(j);
	/* cut: premature end */
	CHECK(run("{\"count\":1,\"data\":[{\"a\":1}", 0, &j) == -1);
	CHECK(j->syntax && j->offset == 26 && !strcmp(j->why, "premature EOF"));
	nk_json_free(j);
	CHECK(run("", 0, &j) == -1);
	nk_json_free(j);
	CHECK(run("{} x", 0, &j) == -1);
	CHECK(j->syntax);
	nk_json_free(j);
	/* shape errors */
	CHECK(run("{\"data\":[{\"a\":1},2]}", 0, &j) == -1);
	CHECK(!j->syntax && !strcmp(j->why, "record 2: not an object"));
	CHECK(!strcmp(got, "rec 1: a=n:1\n"));
	nk_json_free(j);
	CHECK(run("{\"data\":[],\"data\":[]}", 0, &j) == -1);
	CHECK(!strcmp(j->why, "top-level key 'data' given twice"));
	nk_json_free(j);
	CHECK(run("{\"data\":[{\"a\":\"x\\u0000y\"}]}", 0, &j) == -1);
	CHECK(!strcmp(j->why, "record 1: key 'a': string holds \\u0000"));
	nk_json_free(j);
	/* invalid UTF-8 in a string */
	CHECK(run("{\"data\":[{\"a\":\"C\xf4te\"}]}", 0, &j) == -1);
	CHECK(j->syntax);
	nk_json_free(j);
	/* depth: 64 levels are fine, 65 are not */
	char deep[300];
	size_t k = 0;
	k += (size_t)sprintf(deep + k, "{\"data\":[{\"a\":");
	for (int i = 0; i < 61; i++)
		deep[k++] = '[';
	for (int i = 0; i < 61; i++)
		deep[k++] = ']';
	k += (size_t)sprintf(deep + k, "}]}");
	deep[k] = 0;
	CHECK(run(deep, 5, &j) == 0);
	nk_json_free(j);
	k = 0;
	k += (size_t)sprintf(deep + k, "{\"data\":[{\"a\":");
	for (int i = 0; i < 62; i++)
		deep[k++] = '[';
	deep[k] = 0;
	CHECK(run(deep, 5, &j) == -1);
	CHECK(!strcmp(j->why, "nesting deeper than 64 levels"));
	nk_json_free(j);
}

static void test_limits(void)
{
	/* a 2 MiB string: refused before yajl holds all of it */
	size_t n = (size_t)2 << 20;
	char *s = malloc(n + 64);
	strcpy(s, "{\"data\":[{\"a\":\"");
	size_t k = strlen(s);
	memset(s + k, 'x', n);
	strcpy(s + k + n, "\"}]}");
	nk_json *j;
	CHECK(run(s, 4096, &j) == -1);
	CHECK(!j->syntax && strstr(j->why, "without a value ending") != NULL);
	CHECK(j->bytes < ((size_t)3 << 19));
	nk_json_free(j);
	/* 2 MiB of blank space between values is refused the same way */
	strcpy(s, "{\"data\":[");
	k = strlen(s);
	memset(s + k, ' ', n);
	strcpy(s + k + n, "]}");
	CHECK(run(s, 65536, &j) == -1);
	nk_json_free(j);
	/* a record of 5 x 1 MiB - 1 values: over the record limit */
	k = 0;
	k += (size_t)sprintf(s + k, "{\"data\":[{");
	size_t v = ((size_t)1 << 20) - 100;
	char *big = malloc(5 * (v + 16) + 64);
	strcpy(big, s);
	k = strlen(big);
	for (int i = 0; i < 5; i++) {
		k += (size_t)sprintf(big + k, "%s\"k%d\":\"", i ? "," : "", i);
		memset(big + k, 'y', v);
		k += v;
		big[k++] = '"';
	}
	strcpy(big + k, "}]}");
	CHECK(run(big, 65536, &j) == -1);
	CHECK(!strcmp(j->why, "record 1: larger than 4 MiB"));
	nk_json_free(j);
	free(big);
	free(s);
}

/* Lines: each field's value line and each record's first line, whatever
 * the pieces the text comes in (a piece may end inside a value). */
static nk_json *lj;
static void on_lines(void *arg, uint64_t rec, const nk_json_field *f, size_t n)
{
	(void)arg;
	size_t k = strlen(got);
	k += (size_t)snprintf(got + k, sizeof got - k, "rec %llu@%ld:",
			      (unsigned long long)rec, lj->rec_line);
	for (size_t i = 0; i < n; i++)
		k += (size_t)snprintf(got + k, sizeof got - k, " %.*s@%ld",
				      (int)f[i].key.n, f[i].key.p, f[i].line);
	snprintf(got + k, sizeof got - k, "\n");
}

static void test_lines(void)
{
	static const char d[] =
		"{\"count\":2,\n\"data\":[{\"a\":1,\n\"b\":\n\n\"x\",\"c\":12345\n},\n\n"
		"{\n\"a\":{\"z\":[1,\n2]},\"b\":true}]}\n";
	static const char w[] = "rec 1@2: a@2 b@5 c@5\nrec 2@8: a@9 b@10\n";
	size_t steps[] = {0, 1, 2, 3, 5, 11};
	for (size_t i = 0; i < sizeof steps / sizeof *steps; i++) {
		got[0] = 0;
		lj = nk_json_new(on_lines, NULL);
		size_t n = strlen(d), st = steps[i] ? steps[i] : n;
		int rc = 0;
		for (size_t o = 0; o < n && !rc; o += st)
			rc = nk_json_feed(lj, d + o, n - o < st ? n - o : st);
		CHECK(rc == 0 && nk_json_end(lj) == 0);
		CHECK(!strcmp(got, w));
		if (strcmp(got, w))
			printf("step %zu got:\n%s", steps[i], got);
		nk_json_free(lj);
	}
}

int main(void)
{
	test_records();
	test_lines();
	test_top();
	test_errors();
	test_limits();
	return CHECK_REPORT();
}
