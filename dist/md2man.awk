# md2man.awk - the Markdown subset of docs/*.md into a man page, at build
# time, so trustmap-policy(5) says what docs/policy.md says and cannot drift
# from it.  Handles # headings (the first becomes the NAME line), paragraphs,
# ``` blocks, "- " items, `code`, **bold** and [text](link).
#   awk -v name=trustmap-policy -v section=5 -v version=0.1.0 -f dist/md2man.awk docs/policy.md
function esc(s) {
	gsub(/\\/, "\\e", s)
	gsub(/—/, "\\(em", s)
	gsub(/–/, "\\(en", s)
	gsub(/≥/, "\\(>=", s)
	gsub(/≤/, "\\(<=", s)
	gsub(/×/, "\\(mu", s)
	gsub(/…/, "...", s)
	return s
}
function inl(s,    out, c) {
	s = esc(s)
	while (match(s, /\[[^]]*\]\([^)]*\)/)) {
		c = substr(s, RSTART, RLENGTH)
		sub(/\]\(.*/, "", c); sub(/^\[/, "", c)
		s = substr(s, 1, RSTART - 1) c substr(s, RSTART + RLENGTH)
	}
	while (match(s, /\*\*[^*]+\*\*/))
		s = substr(s, 1, RSTART - 1) "\\fB" substr(s, RSTART + 2, RLENGTH - 4) "\\fR" substr(s, RSTART + RLENGTH)
	while (match(s, /`[^`]+`/)) {
		c = substr(s, RSTART + 1, RLENGTH - 2)
		gsub(/-/, "\\-", c)
		s = substr(s, 1, RSTART - 1) "\\fB" c "\\fR" substr(s, RSTART + RLENGTH)
	}
	if (s ~ /^[.']/)
		s = "\\&" s
	return s
}
BEGIN {
	up = toupper(name)
	print ".\\\" " name "(" section "), generated from docs/policy.md by dist/md2man.awk"
	print ".TH " up " " section " \"" date "\" \"trustmap " version "\" \"File Formats\""
	code = 0; first = 1; para = 0
}
/^```/ {
	if (code) { print ".fi"; print ".RE"; code = 0 }
	else { print ".PP"; print ".RS 4"; print ".nf"; code = 1 }
	next
}
code {
	l = esc($0)
	gsub(/-/, "\\-", l)
	if (l ~ /^[.']/) l = "\\&" l
	print l
	next
}
/^# / {
	t = substr($0, 3)
	gsub(/`/, "", t)
	if (first) {
		print ".SH NAME"
		print name " \\- " esc(t)
		print ".SH DESCRIPTION"
		first = 0
	} else
		print ".SH \"" toupper(esc(t)) "\""
	para = 0
	next
}
/^##+ / {
	t = $0; sub(/^#+ /, "", t); gsub(/`/, "", t)
	print ".SH \"" toupper(esc(t)) "\""
	para = 0
	next
}
/^[ \t]*$/ { para = 0; next }
/^- / {
	print ".IP \\(bu 2"
	print inl(substr($0, 3))
	para = 1
	next
}
{
	if (!para) { print ".PP"; para = 1 }
	l = $0; sub(/^[ \t]+/, "", l)
	print inl(l)
}
END {
	if (code) print ".fi"
	print ".SH SEE ALSO"
	print ".BR trustmap (1)"
}
