package web

import (
	"encoding/base64"
	"html/template"

	qrcode "github.com/skip2/go-qrcode"
)

// qrDataURL draws s as a QR code PNG in a data: URL ("" when it cannot be drawn).
func qrDataURL(s string) template.URL {
	png, err := qrcode.Encode(s, qrcode.Medium, 320)
	if err != nil {
		return ""
	}
	return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))
}
