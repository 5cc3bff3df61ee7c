package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromium finds Debian's chromium. Under CI=true a missing browser fails the test (.ci/run
// installs it); elsewhere the test is skipped with the reason.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium is not installed (apt-get install -y chromium): the browser tests cannot run")
	}
	t.Skip("chromium is not installed (apt-get install -y chromium)")
	return ""
}

// artifacts is where the screenshots go: PLANBOT_ARTIFACTS (.ci/run sets .ci/artifacts) or a
// folder in the temp dir, kept after the test.
func artifacts(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("PLANBOT_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "planbot-artifacts")
	}
	dir = filepath.Join(dir, "screens")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// phoneWidth is WeCom's in-app browser on a common phone.
const phoneWidth = 390

// newChrome starts headless Chromium with the flags this machine needs (its network is closed:
// no background networking, component updates, sync or QUIC) and a fresh profile, with a
// phone-sized viewport.
func newChrome(t *testing.T) context.Context {
	t.Helper()
	exe := chromium(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(phoneWidth, 844),
	)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelT(); cancelC(); cancelA() })
	do(t, ctx, chromedp.EmulateViewport(phoneWidth, 844))
	return ctx
}

// do runs browser steps that return nothing, failing the test on error.
func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// cdp runs one browser step and returns its value.
func cdp[T any](t *testing.T, ctx context.Context, step chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, step)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// fitsPhone fails the test when the page scrolls sideways at phoneWidth, and keeps a
// full-page screenshot as name.png.
func fitsPhone(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	type width struct{ Scroll, Inner int }
	wide := cdp(t, ctx, chromedp.Evaluate[width](`({Scroll: Math.max(document.documentElement.scrollWidth, document.body.scrollWidth), Inner: window.innerWidth})`))
	if wide.Inner != phoneWidth || wide.Scroll > wide.Inner {
		t.Errorf("%s: scroll width %d at a viewport of %d px: the page scrolls sideways", name, wide.Scroll, wide.Inner)
	}
	png := cdp(t, ctx, chromedp.FullScreenshot(100))
	path := filepath.Join(artifacts(t), name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot %s", path)
}

// In real Chromium: OAuth login through the fake WeCom, 我的 at 390 px, a 完成 pressed and seen
// done in chat.
func TestBrowserLoginAndComplete(t *testing.T) {
	e := newWebEnv(t)
	ctx := newChrome(t)
	e.fake.SetOAuthUser("lisi")
	before := e.completions(t)
	const doneForm = `form[action="/app/me/done"]`
	do(t, ctx, chromedp.Navigate(e.base+"/app/me"), chromedp.WaitVisible(chromedp.CSS(doneForm+" button")))
	loc := cdp(t, ctx, chromedp.Location())
	header := cdp(t, ctx, chromedp.Text(chromedp.CSS("header")))
	// The browser keeps the authorize URL's #wechat_redirect through the redirects, as in WeCom.
	if loc, _, _ = strings.Cut(loc, "#"); loc != e.base+"/app/me" || !strings.Contains(header, "李老师") {
		t.Fatalf("after OAuth: at %s, header %q", loc, header)
	}
	fitsPhone(t, ctx, "me")

	title := cdp(t, ctx, chromedp.Evaluate[string](`document.querySelector('`+doneForm+`').closest('li').firstElementChild.textContent`))
	do(t, ctx,
		chromedp.SendKeys(chromedp.CSS(doneForm+" input[name=note]"), "浏览器里完成"),
		chromedp.Click(chromedp.CSS(doneForm+" button")),
		chromedp.WaitVisible(chromedp.CSS(".flash")))
	flash := cdp(t, ctx, chromedp.Text(chromedp.CSS(".flash")))
	if !strings.Contains(flash, "已标记完成") || !strings.Contains(flash, title) {
		t.Fatalf("flash after 完成: %q (item %q)", flash, title)
	}
	if n := e.completions(t); n != before+1 {
		t.Fatalf("completions %d -> %d", before, n)
	}
	fitsPhone(t, ctx, "me-done")
	live := liveCompletions(t, e.a)
	last := live[len(live)-1]
	if got := e.chat(t, "wangzr", "完成 #"+last.Key); !strings.Contains(got, "早已由李老师完成") {
		t.Errorf("chat does not see the completion made in the browser: %q", got)
	}
	if last.Note != "浏览器里完成" {
		t.Errorf("note %q", last.Note)
	}
}

// In real Chromium, a supervisor: 团队 with its two charts, every other page, and the sample
// plan uploaded and confirmed through 导入计划; no page scrolls sideways at 390 px.
func TestBrowserSupervisor(t *testing.T) {
	e := newWebEnv(t)
	ctx := newChrome(t)
	e.fake.SetOAuthUser("wangzr")
	do(t, ctx, chromedp.Navigate(e.base+"/app/team"), chromedp.WaitVisible(chromedp.CSS("#people svg")))
	bars := cdp(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('#people svg rect').length + document.querySelectorAll('#months svg rect').length`))
	if bars < 12*2 {
		t.Errorf("团队 charts have %d bars", bars)
	}
	svgW := cdp(t, ctx, chromedp.Evaluate[float64](`document.querySelector('#months svg').getBoundingClientRect().width`))
	if svgW < 300 || svgW > phoneWidth {
		t.Errorf("month chart is %.0f px wide at %d px", svgW, phoneWidth)
	}
	fitsPhone(t, ctx, "team")
	for _, p := range []string{"plan", "data", "log", "import"} {
		do(t, ctx, chromedp.Navigate(e.base+"/app/"+p), chromedp.WaitVisible(chromedp.CSS("main section")))
		fitsPhone(t, ctx, p)
	}

	dir := t.TempDir()
	file := filepath.Join(dir, "淮北市2026年度学生资助工作月计划.txt")
	if err := os.WriteFile(file, revisedSample(t), 0o644); err != nil {
		t.Fatal(err)
	}
	before := e.snapshot(t)
	do(t, ctx,
		chromedp.Navigate(e.base+"/app/import"),
		chromedp.SetUploadFiles(chromedp.CSS(`input[type=file]`), []string{file}),
		chromedp.Click(chromedp.CSS(`form[action="/app/import"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/app/import/confirm"] button`)))
	summary := cdp(t, ctx, chromedp.Text(chromedp.CSS("main section")))
	if !strings.Contains(summary, "与当前计划相比") {
		t.Fatalf("preview: %q", summary)
	}
	fitsPhone(t, ctx, "import-preview")
	if e.snapshot(t) != before {
		t.Fatal("the preview changed the store")
	}
	do(t, ctx, chromedp.Click(chromedp.CSS(`form[action="/app/import/confirm"] button`)), chromedp.WaitVisible(chromedp.CSS(".flash")))
	flash := cdp(t, ctx, chromedp.Text(chromedp.CSS(".flash")))
	if !strings.Contains(flash, "已导入") {
		t.Fatalf("after confirm: %q", flash)
	}
	if e.snapshot(t) == before {
		t.Fatal("the confirmed import changed nothing")
	}
	fitsPhone(t, ctx, "plan-after-import")
}
