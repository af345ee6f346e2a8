# Prepended to the examples test/integration/docs-examples.test.ts runs: curl as the examples call it,
# checking each answer's status against what the docs promise (DOC_EXPECT: the 4xx a comment names;
# DOC_EXPECT_CODE: the error code it shows, "code":"…").
set -euo pipefail
DOC_EXPECT=
DOC_EXPECT_CODE=
DOC_AT=
curl() {
  local log rc=0 code
  log=$(mktemp)
  if [ -n "$DOC_EXPECT_CODE" ]; then
    local body; body=$(mktemp)
    command curl --no-progress-meter -w '%{stderr}__doc_status__ %{http_code}\n' "$@" -o "$body" 2>"$log" || rc=$?
    cat "$body"
    if ! grep -q "\"code\":\"$DOC_EXPECT_CODE\"" "$body"; then
      printf "\n"; echo "DOC FAILURE at $DOC_AT: the docs show the error code $DOC_EXPECT_CODE, the answer has another" >&2; rm -f "$body" "$log"; return 1
    fi
    rm -f "$body"
  else
    command curl --no-progress-meter -w '%{stderr}__doc_status__ %{http_code}\n' "$@" 2>"$log" || rc=$?
  fi
  code=$(sed -n 's/^__doc_status__ //p' "$log" | tail -n 1)
  grep -v '^__doc_status__ ' "$log" >&2 || true
  rm -f "$log"
  if [ "$rc" -ne 0 ]; then printf "\n"; echo "DOC FAILURE at $DOC_AT: curl exited $rc" >&2; return "$rc"; fi
  case "$code" in
    2??) if [ -n "$DOC_EXPECT" ]; then printf "\n"; echo "DOC FAILURE at $DOC_AT: the docs say $DOC_EXPECT, the answer was $code" >&2; return 1; fi ;;
    "$DOC_EXPECT") ;;
    *) printf "\n"; echo "DOC FAILURE at $DOC_AT: HTTP $code, the docs promise ${DOC_EXPECT:-a 2xx}" >&2; return 1 ;;
  esac
}
