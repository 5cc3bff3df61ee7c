package wecom

import (
	"context"
	"errors"
	"net/url"
	"strconv"
	"strings"
)

// DefaultOAuthBase is the origin of WeCom's OAuth2 authorize page.
const DefaultOAuthBase = "https://open.weixin.qq.com"

// OAuthOrigin is OAuthBase without a trailing slash (DefaultOAuthBase when unset).
func (c Config) OAuthOrigin() string {
	if c.OAuthBase == "" {
		return DefaultOAuthBase
	}
	return strings.TrimRight(c.OAuthBase, "/")
}

// AuthorizeURL is WeCom's snsapi_base login for a page inside WeCom: the browser goes there and
// comes back to redirectURI?code=CODE&state=STATE with the user already known (doc 91022).
func (c Config) AuthorizeURL(redirectURI, state string) string {
	q := url.Values{}
	q.Set("appid", c.CorpID)
	q.Set("redirect_uri", redirectURI)
	q.Set("response_type", "code")
	q.Set("scope", "snsapi_base")
	q.Set("state", state)
	q.Set("agentid", strconv.FormatInt(c.AgentID, 10))
	// WeCom wants the parameters in this order; url.Values.Encode sorts them, which it accepts.
	return c.OAuthOrigin() + "/connect/oauth2/authorize?" + q.Encode() + "#wechat_redirect"
}

// ErrNotMember is returned by UserIDByCode for a code of someone outside the corp (WeCom answers
// an openid instead of a userid).
var ErrNotMember = errors.New("wecom: the login is not a member of the corp")

// UserIDByCode exchanges an OAuth code for the member's userid (auth/getuserinfo). A code works
// once and for five minutes: a reused or stale one is an *APIError (40029 invalid code).
func (c *Client) UserIDByCode(ctx context.Context, code string) (string, error) {
	var out struct {
		UserID string `json:"userid"`
		OpenID string `json:"openid"`
	}
	q := url.Values{}
	q.Set("code", code)
	if err := c.call(ctx, "auth/getuserinfo", q, nil, &out, true); err != nil {
		return "", err
	}
	if out.UserID == "" {
		return "", ErrNotMember
	}
	return out.UserID, nil
}
