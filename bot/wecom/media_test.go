package wecom_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/planbot/planbot/bot/wecom"
)

// These tests set silenceper's globals through NewClient: never t.Parallel.

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

func TestUploadAndSendFile(t *testing.T) {
	c, srv, _, _ := newClient(t)
	ctx := context.Background()
	content := []byte("PK\x03\x04 not really a workbook, but bytes with \"quotes\" and \r\n line ends")
	id, err := c.UploadMedia(ctx, wecom.MediaFile, "资助中心-20261128-计划执行报表.xlsx", bytes.NewReader(content))
	if err != nil {
		t.Fatal(err)
	}
	ups := srv.Uploads()
	if len(ups) != 1 {
		t.Fatalf("%d uploads, want 1", len(ups))
	}
	up := ups[0]
	if up.MediaID != id || up.Type != "file" || up.Filename != "资助中心-20261128-计划执行报表.xlsx" ||
		up.ContentType != xlsxType || !bytes.Equal(up.Data, content) {
		t.Fatalf("upload %+v (data %q), media_id %q", up, up.Data, id)
	}
	if q := srv.Requests("media/upload")[0].Query; q.Get("type") != "file" || q.Get("access_token") == "" {
		t.Fatalf("query %v", q)
	}

	if err := c.SendFile(ctx, wecom.ToUser("zhangsan"), id); err != nil {
		t.Fatal(err)
	}
	sends := srv.Requests("message/send")
	if len(sends) != 1 {
		t.Fatalf("%d sends", len(sends))
	}
	var m struct {
		ToUser  string
		MsgType string
		AgentID int64
		File    struct {
			MediaID string `json:"media_id"`
		}
	}
	sends[0].JSON(t, &m)
	if m.ToUser != "zhangsan" || m.MsgType != "file" || m.File.MediaID != id || m.AgentID == 0 {
		t.Fatalf("message %+v", m)
	}

	// A media_id the fake never issued is refused, as WeCom does, and surfaced typed.
	err = c.SendFile(ctx, wecom.ToUser("zhangsan"), "no-such-media")
	var ae *wecom.APIError
	if !errors.As(err, &ae) || ae.Code != 40007 {
		t.Fatalf("unknown media: %v", err)
	}
	if err := c.SendFile(ctx, wecom.ToUser("zhangsan"), ""); err == nil {
		t.Fatal("empty media_id accepted")
	}
}

func TestUploadRefreshesExpiredToken(t *testing.T) {
	c, srv, _, _ := newClient(t)
	ctx := context.Background()
	if err := c.SendText(ctx, wecom.ToUser("a"), "1"); err != nil {
		t.Fatal(err)
	}
	srv.ExpireToken()
	content := strings.Repeat("报表", 100)
	id, err := c.UploadMedia(ctx, wecom.MediaFile, "r.csv", strings.NewReader(content))
	if err != nil {
		t.Fatalf("after expiry: %v", err)
	}
	reqs := srv.Requests("media/upload")
	if len(reqs) != 2 || reqs[0].Query.Get("access_token") != "token-1" || reqs[1].Query.Get("access_token") != "token-2" {
		t.Fatalf("uploads %d: %+v", len(reqs), reqs)
	}
	// The retry sends the whole body again: the one upload the fake accepted is complete.
	ups := srv.Uploads()
	if len(ups) != 1 || ups[0].MediaID != id || string(ups[0].Data) != content || ups[0].ContentType != "text/csv" {
		t.Fatalf("uploads %+v", ups)
	}
}

func TestUploadBusyRetried(t *testing.T) {
	c, srv, sl, _ := newClient(t)
	srv.FailNext("media/upload", 45009, 1)
	if _, err := c.UploadMedia(context.Background(), wecom.MediaFile, "a.bin", strings.NewReader("0123456789")); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.Requests("media/upload")); n != 2 || len(sl.waits) != 1 {
		t.Fatalf("%d attempts, waits %v", n, sl.waits)
	}
	if ups := srv.Uploads(); len(ups) != 1 || ups[0].ContentType != "application/octet-stream" {
		t.Fatalf("uploads %+v", ups)
	}
}

// zeros is an endless reader of zero bytes that counts what was read from it.
type zeros struct{ n int64 }

func (z *zeros) Read(p []byte) (int, error) {
	clear(p)
	z.n += int64(len(p))
	return len(p), nil
}

func TestUploadRefused(t *testing.T) {
	c, srv, _, _ := newClient(t)
	ctx := context.Background()

	// Exactly 20 MB is allowed, one byte more is not, and nothing reaches WeCom.
	z := &zeros{}
	_, err := c.UploadMedia(ctx, wecom.MediaFile, "big.xlsx", z)
	if !errors.Is(err, wecom.ErrMediaTooLarge) {
		t.Fatalf("endless file: %v", err)
	}
	if z.n > wecom.MaxFileBytes+64<<10 {
		t.Fatalf("read %d bytes of an endless file", z.n)
	}
	_, err = c.UploadMedia(ctx, wecom.MediaFile, "big.xlsx", io.LimitReader(&zeros{}, wecom.MaxFileBytes+1))
	if !errors.Is(err, wecom.ErrMediaTooLarge) {
		t.Fatalf("20 MB + 1: %v", err)
	}
	_, err = c.UploadMedia(ctx, wecom.MediaImage, "big.png", io.LimitReader(&zeros{}, wecom.MaxImageBytes+1))
	if !errors.Is(err, wecom.ErrMediaTooLarge) {
		t.Fatalf("image 10 MB + 1: %v", err)
	}
	for _, tc := range []struct{ kind, name, data string }{
		{"file", "", "0123456789"},      // no name
		{"file", "tiny.txt", "12345"},   // WeCom wants more than 5 bytes
		{"document", "a.txt", "012345"}, // unknown type
	} {
		if _, err := c.UploadMedia(ctx, tc.kind, tc.name, strings.NewReader(tc.data)); err == nil {
			t.Errorf("%+v accepted", tc)
		}
	}
	if n := len(srv.Requests("media/upload")); n != 0 {
		t.Fatalf("%d refused uploads reached WeCom", n)
	}

	// 20 MB through the fake can take a while under -race on a busy machine: a patient client.
	slow, err := wecom.NewClient(srv.Config(), nil, &http.Client{Timeout: 2 * time.Minute},
		wecom.WithClientLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		t.Fatal(err)
	}
	id, err := slow.UploadMedia(ctx, wecom.MediaFile, "max.xlsx", io.LimitReader(&zeros{}, wecom.MaxFileBytes))
	if err != nil {
		t.Fatalf("exactly 20 MB: %v", err)
	}
	if ups := srv.Uploads(); len(ups) != 1 || ups[0].MediaID != id || len(ups[0].Data) != wecom.MaxFileBytes {
		t.Fatalf("20 MB upload: %d uploads", len(ups))
	}
}
