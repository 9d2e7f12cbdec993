/* table.c - table/jsonl/csv listings (table.h). */
#include "table.h"
#include "../core/buf.h"
#include "../core/err.h"
#include "../core/esc.h"
#include "../core/mem.h"
#include "../core/str.h"

#include <string.h>

#define MEASURE_ROWS 200 /* rows buffered to size the terminal columns */
#define MAX_COLS 32

struct rep_table {
	enum rep_format f;
	FILE *out;
	const struct rep_col *cols;
	int ncols;
	int width[MAX_COLS];
	char **held; /* buffered escaped cells, MEASURE_ROWS * ncols */
	int nheld;
	int streaming; /* header printed, widths fixed */
	struct buf line;
};

int rep_format_parse(const char *s)
{
	if (!strcmp(s, "table"))
		return REP_TABLE;
	if (!strcmp(s, "jsonl") || !strcmp(s, "json"))
		return REP_JSONL;
	if (!strcmp(s, "csv"))
		return REP_CSV;
	return -1;
}

struct rep_table *rep_table_new(enum rep_format f, FILE *out, const struct rep_col *cols, int ncols)
{
	struct rep_table *t;

	if (ncols > MAX_COLS)
		return NULL;
	t = mem_calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->f = f;
	t->out = out;
	t->cols = cols;
	t->ncols = ncols;
	buf_init(&t->line, 1 << 20);
	if (f == REP_TABLE) {
		t->held = mem_calloc((size_t)MEASURE_ROWS * ncols, sizeof(char *));
		if (!t->held) {
			mem_free(t);
			return NULL;
		}
		for (int i = 0; i < ncols; i++)
			t->width[i] = (int)strlen(cols[i].name);
	}
	if (f == REP_CSV) {
		for (int i = 0; i < ncols; i++) {
			if (i)
				buf_addc(&t->line, ',');
			esc_csv(&t->line, cols[i].name, strlen(cols[i].name));
		}
		fprintf(out, "%s\n", buf_str(&t->line));
	}
	return t;
}

static int maxw(const struct rep_table *t, int i)
{
	return t->cols[i].maxw ? t->cols[i].maxw : 40;
}

static void print_cells(struct rep_table *t, char *const *cells)
{
	for (int i = 0; i < t->ncols; i++) {
		const char *c = cells[i] ? cells[i] : "";
		int len = (int)strlen(c), w = t->width[i];

		if (len > w)
			fprintf(t->out, "%.*s~", w - 1, c);
		else if (i == t->ncols - 1)
			fputs(c, t->out);
		else
			fprintf(t->out, "%-*s", w, c);
		if (i < t->ncols - 1)
			fputs("  ", t->out);
	}
	fputc('\n', t->out);
}

static void start_stream(struct rep_table *t)
{
	char *hdr[MAX_COLS];

	for (int i = 0; i < t->ncols; i++)
		hdr[i] = (char *)t->cols[i].name;
	print_cells(t, hdr);
	for (int r = 0; r < t->nheld; r++) {
		print_cells(t, &t->held[r * t->ncols]);
		for (int i = 0; i < t->ncols; i++)
			mem_free(t->held[r * t->ncols + i]);
	}
	t->nheld = 0;
	t->streaming = 1;
}

static int row_table(struct rep_table *t, const char *const *cells)
{
	char *esc[MAX_COLS];
	int rc = 0;

	for (int i = 0; i < t->ncols; i++) {
		const char *c = cells[i] ? cells[i] : "";
		int len;

		buf_reset(&t->line);
		esc_term(&t->line, c, strlen(c));
		esc[i] = mem_strdup(buf_str(&t->line));
		if (!esc[i])
			rc = TM_ENOMEM;
		len = (int)t->line.len;
		if (!t->streaming && len > t->width[i])
			t->width[i] = len < maxw(t, i) ? len : maxw(t, i);
	}
	if (!rc && !t->streaming) {
		memcpy(&t->held[t->nheld * t->ncols], esc, sizeof(char *) * t->ncols);
		if (++t->nheld == MEASURE_ROWS)
			start_stream(t);
		return 0;
	}
	if (!rc)
		print_cells(t, esc);
	for (int i = 0; i < t->ncols; i++)
		mem_free(esc[i]);
	return rc;
}

static int num_ok(const char *c)
{
	double d;

	return *c && str_to_double(c, strlen(c), &d);
}

int rep_row(struct rep_table *t, const char *const *cells)
{
	int rc = 0;

	if (t->f == REP_TABLE)
		return row_table(t, cells);
	buf_reset(&t->line);
	if (t->f == REP_JSONL)
		rc = buf_addc(&t->line, '{');
	for (int i = 0; i < t->ncols && !rc; i++) {
		const char *c = cells[i] ? cells[i] : "";

		if (t->f == REP_CSV) {
			if (i)
				rc = buf_addc(&t->line, ',');
			if (!rc)
				rc = esc_csv(&t->line, c, strlen(c));
			continue;
		}
		if (i)
			rc = buf_addc(&t->line, ',');
		if (!rc)
			rc = esc_json_str(&t->line, t->cols[i].name);
		if (!rc)
			rc = buf_addc(&t->line, ':');
		if (rc)
			break;
		if (t->cols[i].type == REP_NUM && num_ok(c))
			rc = buf_adds(&t->line, c);
		else if (t->cols[i].type == REP_NUM && !*c)
			rc = buf_adds(&t->line, "null");
		else
			rc = esc_json_str(&t->line, c);
	}
	if (!rc && t->f == REP_JSONL)
		rc = buf_addc(&t->line, '}');
	if (!rc)
		fprintf(t->out, "%s\n", buf_str(&t->line));
	return rc;
}

void rep_table_end(struct rep_table *t)
{
	if (!t)
		return;
	if (t->f == REP_TABLE && !t->streaming)
		start_stream(t);
	mem_free(t->held);
	buf_fini(&t->line);
	fflush(t->out);
	mem_free(t);
}
