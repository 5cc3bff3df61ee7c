package main

import (
	"strings"
	"testing"
)

// What a new office trips on when it imports the sample as the README says (today 2026-01-05):
// the plan dated 2020 by its title, the items already due not tracked, and --track-past on a
// re-import, which changes nothing already imported. Each is said on stderr, the summary line
// on stdout stays as it was.
func TestImportHints(t *testing.T) {
	run := memoryRunner(t)
	file := writeSample(t, "", "")
	out, errOut, err := run(t, runImport, file)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "(2020, team default): +60 new") || strings.Contains(out, "提示") {
		t.Errorf("stdout = %q", out)
	}
	for _, want := range []string{"2020 年导入，今年是 2026 年", "--year 2026", "60 项在今天之前已到期", "--track-past"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q: %s", want, errOut)
		}
	}
	_, errOut, err = run(t, runImport, file, "--year", "2026")
	if err != nil || errOut != "" {
		t.Errorf("--year 2026 in January: stderr %q, err %v (nothing to say)", errOut, err)
	}
	_, errOut, err = run(t, runImport, writeSample(t, "", ""), "--year", "2020", "--track-past")
	if err != nil || !strings.Contains(errOut, "--track-past 只作用于这次新导入的事项") {
		t.Errorf("re-import with --track-past: stderr %q, err %v", errOut, err)
	}
}
