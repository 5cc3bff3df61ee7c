package wecom

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/textproto"
	"net/url"
	"path"
	"strings"
)

// Media kinds of media/upload and their size limits in bytes (doc 90253). Every file must also
// be larger than MinMediaBytes.
const (
	MediaFile  = "file"
	MediaImage = "image"
	MediaVoice = "voice"
	MediaVideo = "video"

	MaxFileBytes  = 20 << 20
	MaxImageBytes = 10 << 20
	MaxVoiceBytes = 2 << 20
	MaxVideoBytes = 10 << 20
	MinMediaBytes = 5
)

// ErrMediaTooLarge is returned (wrapped) when an upload is over its kind's limit; nothing is sent.
var ErrMediaTooLarge = errors.New("wecom: media too large")

// mediaLimit is the largest upload of kind, 0 for an unknown kind.
func mediaLimit(kind string) int64 {
	switch kind {
	case MediaFile:
		return MaxFileBytes
	case MediaImage:
		return MaxImageBytes
	case MediaVoice:
		return MaxVoiceBytes
	case MediaVideo:
		return MaxVideoBytes
	}
	return 0
}

// mediaTypes are the Content-Types of the files planbot sends; the rest go as octet-stream.
var mediaTypes = map[string]string{
	".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	".xls":  "application/vnd.ms-excel",
	".csv":  "text/csv",
	".pdf":  "application/pdf",
	".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	".txt":  "text/plain",
	".json": "application/json",
	".png":  "image/png",
	".jpg":  "image/jpeg",
	".jpeg": "image/jpeg",
}

// filenameQuoter escapes a filename for a Content-Disposition parameter; line breaks are dropped.
var filenameQuoter = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\r", "", "\n", "")

type uploadResult struct {
	Type    string `json:"type"`
	MediaID string `json:"media_id"`
}

// UploadMedia uploads r as temporary media of kind (MediaFile, MediaImage, MediaVoice,
// MediaVideo) named filename and returns its media_id, valid for three days. The whole content
// is read first: more than the kind's limit (20 MB for a file) is refused with ErrMediaTooLarge
// without calling WeCom. The call refreshes the token and backs off like every other call.
func (c *Client) UploadMedia(ctx context.Context, kind, filename string, r io.Reader) (string, error) {
	limit := mediaLimit(kind)
	if limit == 0 {
		return "", fmt.Errorf("wecom media/upload: unknown media type %q", kind)
	}
	name := filenameQuoter.Replace(strings.TrimSpace(filename))
	if name == "" {
		return "", errors.New("wecom media/upload: file without a name")
	}
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return "", fmt.Errorf("wecom media/upload: read %s: %w", filename, err)
	}
	if int64(len(data)) > limit {
		return "", fmt.Errorf("%w: %s is over %d MB, WeCom's limit for type %s", ErrMediaTooLarge, filename, limit>>20, kind)
	}
	if len(data) <= MinMediaBytes {
		return "", fmt.Errorf("wecom media/upload: %s has %d bytes, WeCom wants more than %d", filename, len(data), MinMediaBytes)
	}

	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	ctype := mediaTypes[strings.ToLower(path.Ext(name))]
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	hdr := textproto.MIMEHeader{}
	hdr.Set("Content-Disposition", fmt.Sprintf(`form-data; name="media"; filename="%s"; filelength=%d`, name, len(data)))
	hdr.Set("Content-Type", ctype)
	part, err := mw.CreatePart(hdr)
	if err != nil {
		return "", fmt.Errorf("wecom media/upload: %w", err)
	}
	if _, err := part.Write(data); err != nil {
		return "", fmt.Errorf("wecom media/upload: %w", err)
	}
	if err := mw.Close(); err != nil {
		return "", fmt.Errorf("wecom media/upload: %w", err)
	}

	var res uploadResult
	if err := c.callBody(ctx, "media/upload", url.Values{"type": {kind}}, body.Bytes(), mw.FormDataContentType(), &res, true); err != nil {
		return "", err
	}
	if res.MediaID == "" {
		return "", errors.New("wecom media/upload: answer without media_id")
	}
	c.log.Info("wecom: media uploaded", "type", kind, "file", filename, "bytes", len(data))
	return res.MediaID, nil
}

type mediaRef struct {
	MediaID string `json:"media_id"`
}

// SendFile sends an uploaded file (UploadMedia with MediaFile) as an app message of type file.
func (c *Client) SendFile(ctx context.Context, to Recipient, mediaID string) error {
	if mediaID == "" {
		return errors.New("wecom: file message without media_id")
	}
	_, err := c.send(ctx, to, appMessage{MsgType: "file", File: &mediaRef{mediaID}})
	return err
}
